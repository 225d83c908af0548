namespace BmesCds.Clinical.Engine;

/// <summary>
/// What the clinical engine needs from a hook's context, already validated by the protocol layer.
/// </summary>
/// <param name="Hook">Which hook fired.</param>
/// <param name="PatientId">The patient's logical id (no "Patient/" prefix).</param>
/// <param name="UserId">The user as a relative reference, e.g. "Practitioner/123", when known.</param>
/// <param name="EncounterId">The encounter's logical id, when the context has one.</param>
/// <param name="Selections">order-select: relative references of the selected orders ("ServiceRequest/abc"); empty otherwise.</param>
public sealed record HookContext(
    HookKind Hook,
    string PatientId,
    string? UserId,
    string? EncounterId,
    IReadOnlyList<string> Selections);
