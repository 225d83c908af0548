using System.Text.Json;
using BmesCds.Clinical.Fhir;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Requests;

/// <summary>The resources of `context.draftOrders` and the issues the lenient reader worked around.</summary>
internal sealed record DraftOrders(IReadOnlyList<Resource> Resources, IReadOnlyList<FhirReadIssue> Issues)
{
    public static DraftOrders None { get; } = new([], []);
}

/// <summary>
/// Reads `context.draftOrders`: it must be a Bundle, but (as the CDS Hooks sandbox sends it) its `type` may be
/// missing and its resources may have empty or missing elements. Each entry is read on its own, leniently.
/// </summary>
internal static class DraftOrdersReader
{
    private const string Field = "context.draftOrders";

    public static Parsed<DraftOrders> Read(JsonElement context)
    {
        if (!context.TryGetProperty("draftOrders", out var bundle) || bundle.ValueKind == JsonValueKind.Null)
        {
            return new ProtocolError(Field, "is required", ProtocolErrorKind.Required);
        }

        if (bundle.ValueKind != JsonValueKind.Object
            || !bundle.TryGetProperty("resourceType", out var type)
            || type.ValueKind != JsonValueKind.String
            || type.GetString() != "Bundle")
        {
            return new ProtocolError(Field, "must be a FHIR Bundle (an object with resourceType 'Bundle')");
        }

        var resources = new List<Resource>();
        var issues = new List<FhirReadIssue>();
        var entries = BundleEntries.Read(bundle, Field);
        if (entries.Error is { } entryError)
        {
            return entryError;
        }

        foreach (var (path, element) in entries.Value!)
        {
            var read = LenientFhirReader.Read(element);
            if (read.Resource is null)
            {
                return new ProtocolError(path, read.Refusal!);
            }

            resources.Add(read.Resource);
            issues.AddRange(read.Issues.Select(issue => issue with { Location = $"{path}.{issue.Location}" }));
        }

        return new DraftOrders(resources, issues);
    }
}

/// <summary>Walks `Bundle.entry[].resource` without building FHIR objects, naming each entry's path.</summary>
internal static class BundleEntries
{
    public static Parsed<IReadOnlyList<(string Path, JsonElement Resource)>> Read(JsonElement bundle, string field)
    {
        if (!bundle.TryGetProperty("entry", out var entries) || entries.ValueKind == JsonValueKind.Null)
        {
            return new Parsed<IReadOnlyList<(string, JsonElement)>>([], null);
        }

        if (entries.ValueKind != JsonValueKind.Array)
        {
            return new ProtocolError($"{field}.entry", "must be an array");
        }

        var found = new List<(string, JsonElement)>();
        var index = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            var path = $"{field}.entry[{index++}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                return new ProtocolError(path, "must be an object");
            }

            // An entry without a resource (e.g. a search outcome link) carries nothing to read.
            if (entry.TryGetProperty("resource", out var resource) && resource.ValueKind != JsonValueKind.Null)
            {
                found.Add(($"{path}.resource", resource));
            }
        }

        return found;
    }
}
