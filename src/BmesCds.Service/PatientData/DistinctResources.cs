namespace BmesCds.Service.PatientData;

/// <summary>
/// Each resource once: two templates can return the same resource (an Observation can match both the lab and the
/// imaging search), and the engine must not count one fact twice. The first occurrence is kept; resources without
/// an id cannot be compared and are all kept.
/// </summary>
public static class DistinctResources
{
    public static List<SourcedResource> Of(IEnumerable<SourcedResource> resources)
    {
        var seen = new HashSet<(string?, string)>();
        return resources.Where(resource => IdOf(resource) is not { } id || seen.Add((TypeOf(resource), id))).ToList();
    }

    private static string? TypeOf(SourcedResource resource) =>
        resource.Json.TryGetProperty("resourceType", out var type) && type.ValueKind == System.Text.Json.JsonValueKind.String ? type.GetString() : null;

    private static string? IdOf(SourcedResource resource) =>
        resource.Json.TryGetProperty("id", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String ? id.GetString() : null;
}
