using System.Net;
using System.Text.Json.Nodes;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Requests;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.PatientData;

/// <summary>
/// Every sample request, answered twice: with its prefetch, and with the prefetch stripped after its resources were
/// loaded into a real FHIR server. Same cards (uuids normalised), same resources to the assembler.
/// </summary>
public sealed class SampleFetchEquivalenceTests
{
    private const string NoSamples = "";

    private FhirTestServer _server = null!;
    private FallbackHost _host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await FhirTestServer.StartAsync();
        _host = new FallbackHost();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _host?.Dispose();
        _server?.Dispose();
    }

    public static IEnumerable<TestCaseData> Samples()
    {
        var samples = Directory.EnumerateFiles(Repository.Samples, "*.request.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => Path.GetRelativePath(Repository.Samples, path))
            .ToList();
        if (samples.Count == 0)
        {
            yield return new TestCaseData(NoSamples).SetName("Sample_cards_are_the_same_without_prefetch(no samples yet)");
        }

        foreach (var sample in samples)
        {
            yield return new TestCaseData(sample).SetName($"Sample_cards_are_the_same_without_prefetch({sample})");
        }
    }

    [TestCaseSource(nameof(Samples))]
    public async Task Sample_cards_are_the_same_without_prefetch(string sample)
    {
        if (sample == NoSamples)
        {
            Assert.Pass("No samples/**/*.request.json yet: this test starts comparing when they land.");
        }

        var request = Json.Load(Path.Combine(Repository.Samples, sample)).AsObject();
        var service = ServiceFor(request);
        var prefetch = request["prefetch"] as JsonObject ?? [];
        await _server.ResetAsync();
        await _server.LoadAsync(ResourcesOf(prefetch, sample));
        request["fhirServer"] = _server.Base;
        request.Remove("fhirAuthorization");

        var withPrefetch = await _host.PostAsync(request, service);
        var withPrefetchRecord = _host.Records.Take();
        request.Remove("prefetch");
        var fetched = await _host.PostAsync(request, service);
        var fetchedRecord = _host.Records.Take();

        Assert.That(fetched.StatusCode, Is.EqualTo(withPrefetch.StatusCode), await fetched.Content.ReadAsStringAsync());
        Assert.That(fetchedRecord, Is.EqualTo(withPrefetchRecord), "the assembler got other resources from the FHIR server");
        if (withPrefetch.StatusCode == HttpStatusCode.OK)
        {
            Assert.That(
                Golden.Normalise((await Json.ReadAsync(fetched)).GetProperty("cards")),
                Is.EqualTo(Golden.Normalise((await Json.ReadAsync(withPrefetch)).GetProperty("cards"))));
        }
    }

    private static string ServiceFor(JsonObject request)
    {
        var hook = request["hook"]!.GetValue<string>();
        return CdsServiceCatalogue.All.Single(service => HookNames.Of(service.Hook) == hook).Id;
    }

    private static List<JsonObject> ResourcesOf(JsonObject prefetch, string sample)
    {
        var resources = TestPatient.ResourcesOf(new JsonObject(prefetch
                .Where(pair => pair.Value is JsonObject value && value["resourceType"]?.GetValue<string>() != "OperationOutcome")
                .Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value!.DeepClone()))))
            .ToList();
        Assert.That(resources.Where(r => r["id"] is null), Is.Empty, $"{sample}: every prefetched resource needs an id to be loaded into the FHIR server");
        return resources;
    }
}
