using System.Text.Json;
using BmesCds.Clinical.Engine;

namespace BmesCds.Service.PatientData;

/// <summary>
/// Turns the patient's resources, as raw FHIR JSON from prefetch or from the FHIR server, into the record the engine
/// reads. Both paths go through the same assembler, so the engine sees the same facts either way.
/// </summary>
public interface IPatientRecordAssembler
{
    /// <param name="resources">Single resources (Bundles already flattened), each with the field it came from, e.g. "prefetch.conditions".</param>
    RecordAssembly Assemble(IReadOnlyList<SourcedResource> resources);
}

/// <summary>A resource as JSON and where it came from (for error messages).</summary>
public readonly record struct SourcedResource(string Source, JsonElement Json);

/// <summary>The assembled record, or the first resource that could not be read at all.</summary>
public sealed record RecordAssembly(PatientRecord? Record, string? RefusedSource, string? Refusal);
