using System.Text.Json;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Requests;

/// <summary>The prefetch keys as sent.</summary>
internal sealed record PrefetchValues(IReadOnlyDictionary<string, PrefetchValue> Values);

/// <summary>
/// Checks the shape of `prefetch` without building FHIR objects: each key must be null or a resource with a known
/// resourceType (a Bundle's entries likewise). Which resources are worth reading is decided later, by the
/// patient-record reader, so that hundreds of irrelevant resources cost a JSON walk, not a FHIR parse.
/// </summary>
internal static class PrefetchParser
{
    public static Parsed<PrefetchValues> Parse(JsonElement root)
    {
        if (!root.TryGetProperty("prefetch", out var prefetch) || prefetch.ValueKind == JsonValueKind.Null)
        {
            return new PrefetchValues(new Dictionary<string, PrefetchValue>());
        }

        if (prefetch.ValueKind != JsonValueKind.Object)
        {
            return new ProtocolError("prefetch", "must be an object whose values are FHIR resources or null");
        }

        var values = new Dictionary<string, PrefetchValue>(StringComparer.Ordinal);
        foreach (var key in prefetch.EnumerateObject())
        {
            var field = $"prefetch.{key.Name}";
            if (key.Value.ValueKind == JsonValueKind.Null)
            {
                values[key.Name] = new PrefetchValue(PrefetchValueKind.Null, default);
                continue;
            }

            if (CheckResource(key.Value, field) is { } error)
            {
                return error;
            }

            if (key.Value.GetProperty("resourceType").GetString() == "Bundle"
                && BundleEntries.Read(key.Value, field) is { } entries)
            {
                if (entries.Error is { } entryError)
                {
                    return entryError;
                }

                var bad = entries.Value!.Select(entry => CheckResource(entry.Resource, entry.Path)).FirstOrDefault(e => e is not null);
                if (bad is not null)
                {
                    return bad;
                }
            }

            var kind = key.Value.GetProperty("resourceType").GetString() == "OperationOutcome"
                ? PrefetchValueKind.OperationOutcome
                : PrefetchValueKind.Resource;
            values[key.Name] = new PrefetchValue(kind, key.Value.Clone());
        }

        return new PrefetchValues(values);
    }

    private static ProtocolError? CheckResource(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return new ProtocolError(field, "must be a FHIR resource (a JSON object) or null");
        }

        if (!value.TryGetProperty("resourceType", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return new ProtocolError(field, "has no resourceType");
        }

        var name = type.GetString()!;
        return ModelInfo.GetTypeForFhirType(name) is { } clrType && typeof(Resource).IsAssignableFrom(clrType)
            ? null
            : new ProtocolError(field, $"'{name}' is not a FHIR R4 resource type");
    }
}
