using System.Text.Json;

namespace BmesCds.Service.PatientData;

/// <summary>A resource, or the resources of a Bundle's entries, as single resources.</summary>
public static class BundleFlattener
{
    public static IEnumerable<SourcedResource> Flatten(string source, JsonElement resource)
    {
        if (!resource.TryGetProperty("resourceType", out var type) || type.GetString() != "Bundle")
        {
            yield return new SourcedResource(source, resource);
            yield break;
        }

        if (!resource.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        var index = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object
                && entry.TryGetProperty("resource", out var inner)
                && inner.ValueKind == JsonValueKind.Object
                && !IsSearchOutcome(entry, inner))
            {
                yield return new SourcedResource($"{source}.entry[{index}].resource", inner);
            }

            index++;
        }
    }

    // Searchsets may carry an OperationOutcome entry (search.mode "outcome") with warnings: not patient data.
    private static bool IsSearchOutcome(JsonElement entry, JsonElement resource) =>
        entry.TryGetProperty("search", out var search)
        && search.TryGetProperty("mode", out var mode)
        && mode.GetString() == "outcome"
        && resource.TryGetProperty("resourceType", out var type) && type.GetString() == "OperationOutcome";
}
