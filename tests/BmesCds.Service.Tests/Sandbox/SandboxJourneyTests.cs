using System.Net;
using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Sandbox;

/// <summary>
/// The sandbox user's journey on the PAMA Imaging screen, built from the captured request shape (CPT-coded draft
/// ServiceRequest `example-request-id`, intent plan, SNOMED reason, draftOrders Bundle without type, partial
/// prefetch, no fhirAuthorization): for a patient with joint pain and a normal X-ray on the FHIR server, the card
/// the clinical specification asks for appears.
/// </summary>
public sealed class SandboxJourneyTests
{
    private BmesCdsFactory _factory = null!;
    private HttpClient _client = null!;
    private FhirTestServer _fhirServer = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _fhirServer = await FhirTestServer.StartAsync();
        _factory = new BmesCdsFactory();
        _client = _factory.CreateCheckedClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client?.Dispose();
        _factory?.Dispose();
        _fhirServer?.Dispose();
    }

    private static JsonObject PainCondition(string snomed, string display) => (JsonObject)JsonNode.Parse($$"""
        {"resourceType":"Condition","id":"pama-1-pain",
         "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"{{snomed}}","display":"{{display}}"}]},
         "subject":{"reference":"Patient/pama-1"},"onsetDateTime":"2026-10-20"}
        """)!;

    // A radiology report of a normal X-ray two weeks before "now" (2026-11-28).
    private static JsonObject NormalXray(string loinc, string display, string normalCode) => (JsonObject)JsonNode.Parse($$"""
        {"resourceType":"DiagnosticReport","id":"pama-1-xray","status":"final",
         "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0074","code":"RAD"}]}],
         "code":{"coding":[{"system":"http://loinc.org","code":"{{loinc}}","display":"{{display}}"}]},
         "subject":{"reference":"Patient/pama-1"},"effectiveDateTime":"2026-11-14T10:00:00Z",
         "conclusion":"Normal study.","conclusionCode":[{"coding":[{"system":"http://snomed.info/sct","code":"{{normalCode}}"}]}]}
        """)!;

    private async Task<JsonObject> PamaRequestAsync(JsonObject condition, JsonObject xray, string cpt, string reasonSnomed, string reasonDisplay)
    {
        var capture = Json.Load(Path.Combine(Repository.SandboxCaptures, "order-select-pama-study-and-reason.json")).AsObject();
        await _fhirServer.ResetAsync();
        await _fhirServer.LoadAsync([capture["prefetch"]!["patient"]!.DeepClone().AsObject(), condition, xray]);
        capture["fhirServer"] = _fhirServer.Base;
        capture["prefetch"]!["conditions"]!["entry"] = new JsonArray(new JsonObject { ["resource"] = condition.DeepClone() });
        var order = capture["context"]!["draftOrders"]!["entry"]![0]!["resource"]!;
        order["code"]!["coding"]![0]!["code"] = cpt;
        order["reasonCode"]![0]!["coding"]![0]!["code"] = reasonSnomed;
        order["reasonCode"]![0]!["coding"]![0]!["display"] = reasonDisplay;
        return capture;
    }

    private async Task<JsonNode> OnlyCardAsync(JsonObject request)
    {
        var response = await _client.PostAsync("/cds-services/bmes-order-select", Json.Body(request));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var cards = JsonNode.Parse(body)!["cards"]!.AsArray();
        Assert.That(cards, Has.Count.EqualTo(1), body);
        return cards[0]!;
    }

    private static List<string> CreatedCodes(JsonNode card) => card["suggestions"]![0]!["actions"]!.AsArray()
        .Where(action => (string?)action!["type"] == "create")
        .SelectMany(action => action!["resource"]!["code"]!["coding"]!.AsArray().Select(coding => (string)coding!["code"]!))
        .ToList();

    [Test]
    public async Task Knee_pain_with_a_normal_knee_xray_and_a_CT_chosen_on_the_PAMA_screen_gets_replace_with_mri()
    {
        var request = await PamaRequestAsync(
            PainCondition("30989003", "Knee pain"), NormalXray("30788-4", "XR Knee 3 Views", "168667009"), "73700", "30989003", "Knee pain (finding)");

        var card = await OnlyCardAsync(request);

        Assert.That((string?)card["source"]!["topic"]!["code"], Is.EqualTo("replace-with-mri"));
        Assert.That((string?)card["indicator"], Is.EqualTo("info"), "knee: weaker evidence, info");
        var actions = card["suggestions"]![0]!["actions"]!.AsArray();
        Assert.That((string?)actions[0]!["resourceId"], Is.EqualTo("ServiceRequest/example-request-id"));
        Assert.That(CreatedCodes(card), Is.EquivalentTo(new[] { "30691-0", "73721" }));
    }

    [Test]
    public async Task Hip_pain_with_a_normal_hip_xray_and_a_CT_chosen_on_the_PAMA_screen_gets_replace_with_mri_warning()
    {
        var request = await PamaRequestAsync(
            PainCondition("49218002", "Hip pain"), NormalXray("24762-7", "XR Hip Views", "168661005"), "73700", "49218002", "Hip pain (finding)");

        var card = await OnlyCardAsync(request);

        Assert.That((string?)card["source"]!["topic"]!["code"], Is.EqualTo("replace-with-mri"));
        Assert.That((string?)card["indicator"], Is.EqualTo("warning"));
        Assert.That(CreatedCodes(card), Is.EquivalentTo(new[] { "30687-8", "73721" }));
    }

    [Test]
    public async Task Hip_pain_with_an_MRI_with_contrast_chosen_on_the_PAMA_screen_gets_mri_without_contrast()
    {
        var request = await PamaRequestAsync(
            PainCondition("49218002", "Hip pain"), NormalXray("24762-7", "XR Hip Views", "168661005"), "73722", "49218002", "Hip pain (finding)");

        var card = await OnlyCardAsync(request);

        Assert.That((string?)card["source"]!["topic"]!["code"], Is.EqualTo("mri-without-contrast"));
        Assert.That((string?)card["indicator"], Is.EqualTo("info"));
        Assert.That(CreatedCodes(card), Does.Contain("73721"));
    }
}
