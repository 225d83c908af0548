using System.Text.Json.Nodes;
using BmesCds.Clinical.Terminology;

namespace BmesCds.Profiles.Tests;

/// <summary>A FHIR resource found in a sample file, where it sits, and the profile it is held to (null = base R4).</summary>
public sealed record SampleResource(string File, string Pointer, string Json, string? Profile)
{
    public override string ToString() => $"{File} {Pointer}";
}

/// <summary>
/// Every FHIR resource in samples/, found by the shape of the file, so that new sample files are covered without
/// touching the tests: card suggestions of `*.response.json` (held to their BMES profile), `draftOrders` and prefetch of
/// `*.request.json` (Bundles entry by entry), and any other JSON file that is itself a resource (e.g. `*.patient.json`
/// transaction bundles, validated whole).
/// </summary>
internal static class SampleResources
{
    // A suggestion's resource is held to the profile it declares, else to the BMES profile of its type.
    private static readonly Dictionary<string, string> ProfileByType = new(StringComparer.Ordinal)
    {
        ["ServiceRequest"] = BmesCanonicals.MriServiceRequestProfile,
        ["Condition"] = BmesCanonicals.OsteonecrosisConditionProfile,
    };

    public static IReadOnlyList<string> Files() =>
        Directory.EnumerateFiles(Repository.SamplesDirectory, "*.json", SearchOption.AllDirectories)
            .Select(Repository.Relative)
            .Order(StringComparer.Ordinal)
            .ToList();

    public static IEnumerable<SampleResource> SuggestionResources() => Files()
        .Where(f => f.EndsWith(".response.json", StringComparison.Ordinal))
        .SelectMany(f => InResponse(f, Parse(f)));

    public static IEnumerable<SampleResource> BaseResources() => Files()
        .Where(f => !f.EndsWith(".response.json", StringComparison.Ordinal))
        .SelectMany(f => f.EndsWith(".request.json", StringComparison.Ordinal) ? InRequest(f, Parse(f)) : AsResource(f, Parse(f)));

    private static JsonObject Parse(string file) =>
        JsonNode.Parse(File.ReadAllText(Repository.Full(file))) as JsonObject
        ?? throw new InvalidOperationException($"{file} is not a JSON object.");

    internal static IEnumerable<SampleResource> InResponse(string file, JsonObject response)
    {
        var cards = response["cards"]?.AsArray() ?? [];
        for (var c = 0; c < cards.Count; c++)
        {
            var suggestions = cards[c]?["suggestions"]?.AsArray() ?? [];
            for (var s = 0; s < suggestions.Count; s++)
            {
                var actions = suggestions[s]?["actions"]?.AsArray() ?? [];
                for (var a = 0; a < actions.Count; a++)
                {
                    if (actions[a]?["resource"] is JsonObject resource)
                    {
                        yield return new SampleResource(file, $"cards[{c}].suggestions[{s}].actions[{a}].resource",
                            resource.ToJsonString(), ProfileOf(resource));
                    }
                }
            }
        }
    }

    // As the service validates them (IncomingValidator): a Bundle entry by entry, since EHRs and the CDS Hooks sandbox
    // send draftOrders and prefetch Bundles without entry.fullUrl (bdl-15), which says nothing about the resources.
    internal static IEnumerable<SampleResource> InRequest(string file, JsonObject request)
    {
        var found = new List<(string Pointer, JsonObject Resource)>();
        if (request["context"]?["draftOrders"] is JsonObject draftOrders)
        {
            found.Add(("context.draftOrders", draftOrders));
        }

        if (request["prefetch"] is JsonObject prefetch)
        {
            // A prefetch entry may be null (the EHR could not fetch it): nothing to validate.
            found.AddRange(prefetch.Where(p => p.Value is JsonObject).Select(p => ($"prefetch.{p.Key}", p.Value!.AsObject())));
        }

        return found.SelectMany(f => Unbundle(f.Pointer, f.Resource)).Select(f => new SampleResource(file, f.Pointer, f.Resource.ToJsonString(), null));
    }

    private static IEnumerable<(string Pointer, JsonObject Resource)> Unbundle(string pointer, JsonObject resource)
    {
        if (resource["resourceType"]?.GetValue<string>() != "Bundle")
        {
            return [(pointer, resource)];
        }

        var entries = resource["entry"]?.AsArray() ?? [];
        return entries.Select((entry, i) => (Pointer: $"{pointer}.entry[{i}].resource", Resource: entry?["resource"] as JsonObject))
            .Where(e => e.Resource is not null)
            .Select(e => (e.Pointer, e.Resource!));
    }

    private static IEnumerable<SampleResource> AsResource(string file, JsonObject json) =>
        json.ContainsKey("resourceType") ? [new SampleResource(file, "(file)", json.ToJsonString(), null)] : [];

    private static string? ProfileOf(JsonObject resource)
    {
        var declared = resource["meta"]?["profile"]?.AsArray().Select(p => p?.GetValue<string>())
            .FirstOrDefault(p => p is not null && p.StartsWith(BmesCanonicals.Base, StringComparison.Ordinal));
        return declared ?? (resource["resourceType"]?.GetValue<string>() is { } type ? ProfileByType.GetValueOrDefault(type) : null);
    }
}
