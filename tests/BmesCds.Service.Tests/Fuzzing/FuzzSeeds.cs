using System.Text;
using System.Text.Json.Nodes;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>One request the fuzzer starts from: a checked-in body and the endpoint it is sent to.</summary>
public sealed record FuzzSeed(string Name, string Endpoint, JsonNode Json)
{
    public byte[] Bytes { get; } = Encoding.UTF8.GetBytes(Json.ToJsonString());

    public bool IsHookCall => !Endpoint.EndsWith("/feedback", StringComparison.Ordinal);
}

/// <summary>
/// The seeds: every sample request (samples/**/*.request.json: order-select, order-sign, patient-view), every request
/// the CDS Hooks sandbox was seen to send (tests/fixtures/sandbox-captures, feedback included), and C1 with the
/// optional fields no sample carries (fhirAuthorization, encounterId, extension), so that their readers are fuzzed too.
/// </summary>
public static class FuzzSeeds
{
    public static IReadOnlyList<FuzzSeed> All { get; } = Load();

    private static List<FuzzSeed> Load()
    {
        var seeds = new List<FuzzSeed>();
        foreach (var path in Directory.GetFiles(Repository.Samples, "*.request.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            seeds.Add(FromFile(path));
        }

        // jwt-shape.json is a token's claims, not a body.
        foreach (var path in Directory.GetFiles(Repository.SandboxCaptures, "*.json").Order(StringComparer.Ordinal)
            .Where(path => !path.EndsWith("jwt-shape.json", StringComparison.Ordinal)))
        {
            seeds.Add(FromFile(path));
        }

        seeds.Add(WithEveryOptionalField(seeds.Single(seed => seed.Name.EndsWith(LargeRequests.C1File, StringComparison.Ordinal))));
        return seeds;
    }

    private static FuzzSeed FromFile(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        return new FuzzSeed(Repository.Relative(path), EndpointOf(json, path), json);
    }

    private static string EndpointOf(JsonNode json, string path) => json["feedback"] is not null
        ? "/cds-services/bmes-order-select/feedback"
        : (string?)json["hook"] switch
        {
            "order-select" => "/cds-services/bmes-order-select",
            "order-sign" => "/cds-services/bmes-order-sign",
            "patient-view" => "/cds-services/bmes-patient-view",
            var other => throw new InvalidOperationException($"{path}: no service answers the hook '{other}'"),
        };

    private static FuzzSeed WithEveryOptionalField(FuzzSeed c1)
    {
        var json = c1.Json.DeepClone();
        json["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = "some-opaque-fhir-token",
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["scope"] = "patient/*.read",
            ["subject"] = "bmes-cds",
        };
        json["context"]!["encounterId"] = "Encounter/e-1";
        json["extension"] = new JsonObject { ["com.example.ehr"] = new JsonObject { ["site"] = "north" } };
        return new FuzzSeed(c1.Name.Replace(".request.json", ".with-optional-fields", StringComparison.Ordinal), c1.Endpoint, json);
    }
}
