using System.Net;
using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Sandbox;

/// <summary>
/// What scripts/demo.sh promises for each showcase patient (scripts/sandbox-showcase.json) is what the service answers:
/// every sample patient loaded into a real FHIR server, each request shaped as the sandbox sends it (no prefetch, the
/// PAMA screen's draft order from the sandbox's CPT and SNOMED lists), with replace suggestions as one update (as for
/// the sandbox preset). Where accepting is promised to clear the card, the update is applied the sandbox's way and the
/// hook fires again.
/// </summary>
public sealed class SandboxShowcaseTests
{
    private FhirTestServer _fhirServer = null!;
    private BmesCdsFactory _factory = null!;
    private HttpClient _client = null!;

    public static IEnumerable<TestCaseData> Entries() =>
        DemoScriptTests.Showcase().Select(entry => new TestCaseData(entry.ToJsonString()).SetArgDisplayNames($"{entry["patient"]} {entry["hook"]}"));

    [OneTimeSetUp]
    public async Task Start()
    {
        _fhirServer = await FhirTestServer.StartAsync();
        foreach (var sample in SampleFiles.Requests())
        {
            var bundle = SampleFiles.PatientBundle(Json.Load(SampleFiles.FullPath(sample)));
            await _fhirServer.LoadAsync(bundle["entry"]!.AsArray().Select(entry => entry!["resource"]!.AsObject()));
        }

        _factory = new BmesCdsFactory(new Dictionary<string, string?> { ["Cards:ReplaceAction"] = "Update" });
        _client = _factory.CreateCheckedClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client?.Dispose();
        _factory?.Dispose();
        _fhirServer?.Dispose();
    }

    private JsonObject Request(JsonNode entry, JsonNode? study, JsonNode? reason)
    {
        var patient = (string)entry["patient"]!;
        var request = new JsonObject
        {
            ["hook"] = (string)entry["hook"]!,
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["fhirServer"] = _fhirServer.Base,
            ["context"] = new JsonObject { ["userId"] = "Practitioner/COREPRACTITIONER1", ["patientId"] = patient },
        };
        if (study is not null)
        {
            request["context"]!["selections"] = new JsonArray("ServiceRequest/example-request-id");
            var order = new JsonObject
            {
                ["resourceType"] = "ServiceRequest",
                ["id"] = "example-request-id",
                ["status"] = "draft",
                ["intent"] = "plan",
                ["code"] = new JsonObject { ["coding"] = new JsonArray(study.DeepClone()), ["text"] = study["display"]!.DeepClone() },
                ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
                ["reasonCode"] = new JsonArray(new JsonObject { ["coding"] = new JsonArray(reason!.DeepClone()), ["text"] = reason["display"]!.DeepClone() }),
            };
            request["context"]!["draftOrders"] = new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["entry"] = new JsonArray(new JsonObject { ["resource"] = order }),
            };
        }

        return request;
    }

    private async Task<JsonArray> CardsAsync(JsonObject request)
    {
        var service = (string)request["hook"]! == "patient-view" ? "bmes-patient-view" : "bmes-order-select";
        var response = await _client.PostAsync($"/cds-services/{service}", Json.Body(request));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonNode.Parse(body)!["cards"]!.AsArray();
    }

    [TestCaseSource(nameof(Entries))]
    public async Task The_showcase_patient_gets_the_promised_card(string json)
    {
        var entry = JsonNode.Parse(json)!;

        var cards = await CardsAsync(Request(entry, entry["study"], entry["reason"]));

        Assert.That(cards, Has.Count.EqualTo(1), cards.ToJsonString());
        Assert.That((string?)cards[0]!["source"]!["topic"]!["code"], Is.EqualTo((string?)entry["rule"]));
        Assert.That((string?)cards[0]!["indicator"], Is.EqualTo((string?)entry["indicator"]));
        if ((bool?)entry["acceptingClearsTheCard"] != true)
        {
            return;
        }

        // Accepting, as the sandbox's PAMA screen does: the study is the update's code.coding[0], the reasons the first
        // coding of each reasonCode; the changed form fires the hook again.
        var update = cards[0]!["suggestions"]![0]!["actions"]!.AsArray().Single(a => (string?)a!["type"] == "update")!["resource"]!;
        var again = await CardsAsync(Request(entry, update["code"]!["coding"]![0], update["reasonCode"]![0]!["coding"]![0]));

        Assert.That(again, Is.Empty, again.ToJsonString());
    }
}
