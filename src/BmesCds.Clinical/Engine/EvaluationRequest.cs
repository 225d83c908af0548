using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Engine;

/// <summary>
/// Everything one evaluation sees. The engine is a pure function of this: same facts in, same cards out,
/// whether the record came from prefetch or from the EHR's FHIR server.
/// </summary>
/// <param name="Context">The hook context.</param>
/// <param name="DraftOrders">The resources of `context.draftOrders` (order hooks); empty on patient-view.</param>
/// <param name="Record">The patient's record relevant to the rules.</param>
/// <param name="Now">The evaluation instant; the engine never reads a clock.</param>
public sealed record EvaluationRequest(
    HookContext Context,
    IReadOnlyList<Resource> DraftOrders,
    PatientRecord Record,
    DateTimeOffset Now);

/// <summary>The patient and the resources of their record (conditions, observations, studies, reports, orders, medications).</summary>
public sealed record PatientRecord(Patient? Patient, IReadOnlyList<Resource> Resources)
{
    public static PatientRecord Empty { get; } = new(null, []);
}
