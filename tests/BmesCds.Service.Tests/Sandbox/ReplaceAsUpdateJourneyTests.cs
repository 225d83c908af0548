using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Auth;
using BmesCds.Service.Tests.Infrastructure;
using Hl7.Fhir.Serialization;
using OperationOutcome = Hl7.Fhir.Model.OperationOutcome;
using ServiceRequest = Hl7.Fhir.Model.ServiceRequest;

namespace BmesCds.Service.Tests.Sandbox;

/// <summary>
/// Replace as an update, through the real host: on the sandbox's PAMA screen the tester picks CT lower extremity (CPT
/// 73700) for hip pain for sample patient c1 (left hip pain, normal left hip X-ray, loaded into a real FHIR server);
/// the card's one suggestion updates the draft order into the MRI; the sandbox applies it to its form; the hook fires
/// again and the card is gone. Per client: the same call gives an update to a client registered with
/// ReplaceAction=Update and delete + create to another.
/// </summary>
public sealed class ReplaceAsUpdateJourneyTests
{
    private const string Issuer = "https://pama-ehr.example.com";
    private const string OtherIssuer = "https://other-ehr.example.com";
    private const string PublicBase = "http://localhost";

    private FhirTestServer _fhirServer = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _fhirServer = await FhirTestServer.StartAsync();
        var c1 = SampleFiles.PatientBundle(Json.Load(SampleFiles.FullPath("cases/C1-ct-after-normal-left-hip-xray.request.json")));
        await _fhirServer.LoadAsync(c1["entry"]!.AsArray().Select(entry => entry!["resource"]!.AsObject()));
    }

    [OneTimeTearDown]
    public void Stop() => _fhirServer?.Dispose();

    /// <summary>What the sandbox sends from its PAMA screen (shape of the capture) for c1, CT 73700 and hip pain.</summary>
    private JsonObject PamaRequest()
    {
        var request = Json.Load(Path.Combine(Repository.SandboxCaptures, "order-select-pama-study-and-reason.json")).AsObject();
        request["fhirServer"] = _fhirServer.OnThisServer((string)request["fhirServer"]!);
        request["context"]!["patientId"] = "c1";
        request.Remove("prefetch"); // every key fetched from the FHIR server
        var form = new SandboxPamaForm(
            JsonNode.Parse("""{"system":"http://www.ama-assn.org/go/cpt","code":"73700","display":"CT lower extremity without contrast"}""")!.AsObject(),
            [JsonNode.Parse("""{"system":"http://snomed.info/sct","code":"49218002","display":"Hip pain (finding)"}""")!.AsObject()]);
        request["context"]!["draftOrders"] = form.DraftOrders("c1");
        return request;
    }

    private static async Task<JsonArray> CardsAsync(HttpClient client, JsonObject request, string? token = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/cds-services/bmes-order-select") { Content = Json.Body(request) };
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await client.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonNode.Parse(body)!["cards"]!.AsArray();
    }

    [Test]
    public async Task Clicking_the_suggestion_turns_the_CT_into_the_MRI_and_the_card_goes_away()
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?> { ["Cards:ReplaceAction"] = "Update" });
        using var client = factory.CreateCheckedClient();
        var request = PamaRequest();

        var cards = await CardsAsync(client, request);

        Assert.That(cards, Has.Count.EqualTo(1));
        Assert.That((string?)cards[0]!["source"]!["topic"]!["code"], Is.EqualTo("replace-with-mri"));
        var action = cards[0]!["suggestions"]![0]!["actions"]!.AsArray().Single()!;
        Assert.That((string?)action["type"], Is.EqualTo("update"));
        var order = action["resource"]!;
        Assert.That((string?)order["id"], Is.EqualTo("example-request-id"));
        Assert.That((string?)order["code"]!["coding"]![0]!["code"], Is.EqualTo("73721"), "the client's CPT first");
        Assert.That((string?)order["code"]!["coding"]![1]!["system"], Is.EqualTo("http://loinc.org"));
        Assert.That((string?)order["reasonCode"]![0]!["coding"]![0]!["code"], Is.EqualTo("49218002"), "the order's reason kept");
        var rating = order["extension"]!.AsArray().Single(e => (string?)e!["url"] == "http://fhir.org/argonaut/Extension/pama-rating")!;
        Assert.That((string?)rating["valueCodeableConcept"]!["coding"]![0]!["code"], Is.EqualTo("appropriate"));

        var applied = SandboxPamaForm.AfterApplying(order.AsObject());
        request["context"]!["draftOrders"] = applied.DraftOrders("c1");
        var again = await CardsAsync(client, request);

        Assert.That(applied.Study["code"]!.GetValue<string>(), Is.EqualTo("73721"));
        Assert.That(again, Is.Empty, again.ToJsonString());
    }

    [Test]
    public async Task The_updated_order_validates_against_base_R4()
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?> { ["Cards:ReplaceAction"] = "Update" });
        using var client = factory.CreateCheckedClient();

        var cards = await CardsAsync(client, PamaRequest());

        var json = cards[0]!["suggestions"]![0]!["actions"]![0]!["resource"]!.ToJsonString();
        var order = new FhirJsonDeserializer().Deserialize<ServiceRequest>(json);
        var outcome = SharedProfileValidator.Instance.Validate(order);
        Assert.That(outcome.Issue.Where(issue => issue.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(issue => $"{issue.Details?.Text ?? issue.Diagnostics} at {string.Join(",", issue.Expression)}"), Is.Empty, json);
    }

    [Test]
    public async Task By_default_the_replace_is_a_delete_and_a_create()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateCheckedClient();

        var cards = await CardsAsync(client, PamaRequest());

        var actions = cards[0]!["suggestions"]![0]!["actions"]!.AsArray();
        Assert.That(actions.Select(a => (string?)a!["type"]), Is.EqualTo(new[] { "delete", "create" }));
        Assert.That((string?)actions[0]!["resourceId"], Is.EqualTo("ServiceRequest/example-request-id"));
    }

    [Test]
    public async Task Each_trusted_client_gets_its_own_replace_action()
    {
        using var pamaKey = TestSigningKey.Ec("ES384");
        using var otherKey = TestSigningKey.Ec("ES256");
        using var factory = new BmesCdsFactory(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Required",
            ["Auth:PublicBaseUrl"] = PublicBase,
            ["Auth:TrustedClients:0:Issuer"] = Issuer,
            ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(pamaKey),
            ["Auth:TrustedClients:0:ReplaceAction"] = "Update",
            ["Auth:TrustedClients:1:Issuer"] = OtherIssuer,
            ["Auth:TrustedClients:1:Jwks"] = TestSigningKey.Jwks(otherKey),
        });
        using var client = factory.CreateCheckedClient();
        string Token(TestSigningKey key, string issuer) =>
            TokenBuilder.For(key, issuer, $"{PublicBase}/cds-services/bmes-order-select", DateTimeOffset.UtcNow).SignWith(key);

        var forPama = await CardsAsync(client, PamaRequest(), Token(pamaKey, Issuer));
        var forOther = await CardsAsync(client, PamaRequest(), Token(otherKey, OtherIssuer));

        Assert.That(forPama[0]!["suggestions"]![0]!["actions"]!.AsArray().Select(a => (string?)a!["type"]), Is.EqualTo(new[] { "update" }));
        Assert.That(forOther[0]!["suggestions"]![0]!["actions"]!.AsArray().Select(a => (string?)a!["type"]), Is.EqualTo(new[] { "delete", "create" }));
    }

    /// <summary>
    /// The sandbox's PAMA form as observed: one study coding and a list of reason codings, from which it builds the
    /// draft order of every call (id example-request-id, intent plan, no Bundle type); accepting a suggestion takes the
    /// updated order's code.coding[0] as the study and the first coding of each reasonCode as the reasons.
    /// </summary>
    private sealed record SandboxPamaForm(JsonObject Study, IReadOnlyList<JsonObject> Reasons)
    {
        public static SandboxPamaForm AfterApplying(JsonObject updatedOrder) => new(
            updatedOrder["code"]!["coding"]![0]!.DeepClone().AsObject(),
            updatedOrder["reasonCode"]!.AsArray().Select(reason => reason!["coding"]![0]!.DeepClone().AsObject()).ToList());

        public JsonObject DraftOrders(string patientId) => new()
        {
            ["resourceType"] = "Bundle",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["resource"] = new JsonObject
                {
                    ["resourceType"] = "ServiceRequest",
                    ["id"] = "example-request-id",
                    ["status"] = "draft",
                    ["intent"] = "plan",
                    ["code"] = new JsonObject { ["coding"] = new JsonArray(Study.DeepClone()), ["text"] = Study["display"]?.DeepClone() },
                    ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
                    ["reasonCode"] = new JsonArray(Reasons.Select(r => (JsonNode)new JsonObject
                    {
                        ["coding"] = new JsonArray(r.DeepClone()),
                        ["text"] = r["display"]?.DeepClone(),
                    }).ToArray()),
                },
            }),
        };
    }
}
