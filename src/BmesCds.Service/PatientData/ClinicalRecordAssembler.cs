using BmesCds.Clinical.Records;

namespace BmesCds.Service.PatientData;

/// <summary>
/// Assembles the record with the clinical <see cref="PatientRecordReader"/>: only resources the rules can use are
/// parsed (by type and code), so hundreds of irrelevant ones cost a JSON walk. A relevant resource that cannot be
/// read even leniently makes the request unreadable (400 naming where it came from); repaired ones are logged.
/// </summary>
public sealed class ClinicalRecordAssembler(PatientRecordReader reader, ILogger<ClinicalRecordAssembler> logger) : IPatientRecordAssembler
{
    public RecordAssembly Assemble(IReadOnlyList<SourcedResource> resources)
    {
        // A resourceType FHIR R4 does not know means the sender is not speaking FHIR R4: refuse, whatever the type.
        foreach (var (source, json) in resources)
        {
            if (UnknownType(json) is { } unknown)
            {
                return new RecordAssembly(null, source, $"'{unknown}' is not a FHIR R4 resource type");
            }
        }

        var result = reader.Read(resources.Select(resource => resource.Json));
        foreach (var issue in result.Issues)
        {
            if (issue.Skipped)
            {
                // The reader names positions "#n" in the order given: map back to the prefetch key or fetch it came from.
                var source = SourceOf(issue.Resource, resources) ?? issue.Resource;
                return new RecordAssembly(null, source, issue.Description);
            }

            // Resource reference, error code and element path: no values.
            logger.LogDebug("Tolerated FHIR issue in {Resource}: {Issue}", issue.Resource, issue.Description);
        }

        return new RecordAssembly(result.Record, null, null);
    }

    private static string? UnknownType(System.Text.Json.JsonElement json)
    {
        var type = json.TryGetProperty("resourceType", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? value.GetString()!
            : string.Empty;
        return Hl7.Fhir.Model.ModelInfo.IsKnownResource(type) ? null : type;
    }

    // The reader names a resource "Type/id", or "#n" (its position) when it has no id.
    private static string? SourceOf(string name, IReadOnlyList<SourcedResource> resources)
    {
        if (name.StartsWith('#'))
        {
            return int.TryParse(name.AsSpan(1), out var index) && index >= 0 && index < resources.Count ? resources[index].Source : null;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? null
            : resources.FirstOrDefault(resource => Matches(resource, name[..slash], name[(slash + 1)..])).Source;
    }

    private static bool Matches(SourcedResource resource, string type, string id) =>
        resource.Json.TryGetProperty("resourceType", out var t) && t.ValueEquals(type)
        && resource.Json.TryGetProperty("id", out var i) && i.ValueKind == System.Text.Json.JsonValueKind.String && i.ValueEquals(id);
}
