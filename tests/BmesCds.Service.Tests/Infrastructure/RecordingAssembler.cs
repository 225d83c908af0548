using BmesCds.Service.PatientData;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// The real assembler, plus a note of what it was given: the resources ("Type/id", sorted) of the last record.
/// Lets a test show that the prefetch path and the FHIR-server path hand the engine the same facts.
/// </summary>
public sealed class RecordingAssembler : IPatientRecordAssembler
{
    /// <summary>The host's own assembler, set when the host resolves this decorator.</summary>
    public IPatientRecordAssembler? Inner { get; set; }

    public IReadOnlyList<string>? Last { get; private set; }

    public RecordAssembly Assemble(IReadOnlyList<SourcedResource> resources)
    {
        Last = resources
            .Select(resource => $"{resource.Json.GetProperty("resourceType").GetString()}/{(resource.Json.TryGetProperty("id", out var id) ? id.GetString() : "?")}")
            .Order(StringComparer.Ordinal)
            .ToList();
        return (Inner ?? throw new InvalidOperationException("no inner assembler")).Assemble(resources);
    }

    /// <summary>Takes the last record and forgets it, so a call that never assembled shows as null.</summary>
    public IReadOnlyList<string>? Take()
    {
        var last = Last;
        Last = null;
        return last;
    }
}
