using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Engine;

namespace BmesCds.Service.PatientData;

/// <summary>The patient's record for one hook call, or why it cannot be had.</summary>
public sealed record RecordResolution(PatientRecord? Record, ProtocolError? Error);

/// <summary>Gets the patient's record for a hook call, from prefetch and, where needed, the EHR's FHIR server.</summary>
public interface IPatientRecordSource
{
    Task<RecordResolution> ResolveAsync(HookRequest request, CancellationToken cancel);
}
