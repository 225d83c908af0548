using System.Text.Json.Nodes;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>The sample hook requests of samples/ and the files that go with each.</summary>
public static class SampleFiles
{
    /// <summary>Every samples/**/X.request.json, as paths relative to samples/ (stable test names).</summary>
    public static IEnumerable<string> Requests() => Directory.Exists(Repository.Samples)
        ? Directory.GetFiles(Repository.Samples, "*.request.json", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Repository.Samples, path))
            .Order(StringComparer.Ordinal)
        : [];

    public static string FullPath(string relative) => Path.Combine(Repository.Samples, relative);

    public static string ResponsePath(string relativeRequest) => Sibling(relativeRequest, ".response.json");

    public static string PatientPath(string relativeRequest) => Sibling(relativeRequest, ".patient.json");

    /// <summary>The service a sample is posted to, from its hook.</summary>
    public static string ServiceFor(JsonNode request) => (string?)request["hook"] switch
    {
        "order-select" => "bmes-order-select",
        "order-sign" => "bmes-order-sign",
        "patient-view" => "bmes-patient-view",
        var other => throw new InvalidOperationException($"sample with unknown hook '{other}'"),
    };

    /// <summary>
    /// The patient of a sample as a FHIR transaction Bundle (PUT Type/id for each prefetched resource), ready to load
    /// into any FHIR server so the same sample can run without prefetch.
    /// </summary>
    public static JsonObject PatientBundle(JsonNode request)
    {
        var entries = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, value) in request["prefetch"]?.AsObject() ?? [])
        {
            foreach (var resource in Resources(value))
            {
                var type = (string)resource["resourceType"]!;
                var id = (string?)resource["id"];
                if (id is null || type == "OperationOutcome" || !seen.Add($"{type}/{id}"))
                {
                    continue;
                }

                entries.Add(new JsonObject
                {
                    ["fullUrl"] = $"{type}/{id}",
                    ["resource"] = resource.DeepClone(),
                    ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"{type}/{id}" },
                });
            }
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries };
    }

    private static IEnumerable<JsonNode> Resources(JsonNode? value)
    {
        if (value is not JsonObject resource)
        {
            yield break;
        }

        if ((string?)resource["resourceType"] != "Bundle")
        {
            yield return resource;
            yield break;
        }

        foreach (var entry in resource["entry"]?.AsArray() ?? [])
        {
            if (entry?["resource"] is JsonObject inner)
            {
                yield return inner;
            }
        }
    }

    private static string Sibling(string relativeRequest, string suffix) =>
        FullPath(relativeRequest[..^".request.json".Length] + suffix);
}
