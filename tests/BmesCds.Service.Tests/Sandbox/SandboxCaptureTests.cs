using System.Net;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Sandbox;

/// <summary>
/// Every request captured from the public CDS Hooks sandbox, sent as captured, is answered 200 with spec-valid JSON
/// (the conformance handler checks each answer). A 400 here would show the sandbox user "Could not get a response
/// from the CDS Service". The sandbox prefetches only some keys and leaves the rest to the service, so, as during the
/// capture, a FHIR server holds patient pama-1 (its Patient and knee-pain Condition, as captured): `fhirServer` is
/// the one field rewritten, and only its port (the test server answers under the captured path /fhir/R4 too).
/// </summary>
public sealed class SandboxCaptureTests
{
    private BmesCdsFactory _factory = null!;
    private HttpClient _client = null!;
    private FhirTestServer _fhirServer = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _fhirServer = await FhirTestServer.StartAsync();
        var captured = Json.Load(Path.Combine(Repository.SandboxCaptures, "order-select-pama-study-and-reason.json"))["prefetch"]!;
        await _fhirServer.LoadAsync([
            captured["patient"]!.AsObject(),
            .. captured["conditions"]!["entry"]!.AsArray().Select(entry => entry!["resource"]!.AsObject()),
        ]);
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

    private async Task<HttpResponseMessage> SendCaptureAsync(string file, string service)
    {
        var capture = Json.Load(Path.Combine(Repository.SandboxCaptures, file)).AsObject();
        var captured = (string)capture["fhirServer"]!;
        Assert.That(new Uri(captured).AbsolutePath, Is.EqualTo("/fhir/R4"), "the captures were taken against /fhir/R4");
        capture["fhirServer"] = _fhirServer.OnThisServer(captured);
        return await _client.PostAsync($"/cds-services/{service}", Json.Body(capture));
    }

    // The PAMA screen opened with nothing chosen: the order has no usable code.
    [TestCase("order-select-pama-screen-opened.json")]
    // CPT 73700 (CT lower extremity) without a reason: no joint can be determined.
    [TestCase("order-select-pama-study-chosen.json")]
    // CPT 73700 for knee pain, but no normal X-ray on record: nothing to say yet.
    [TestCase("order-select-pama-study-and-reason.json")]
    // A MedicationRequest: not an imaging order.
    [TestCase("order-select-rx-view.json")]
    public async Task Order_select_capture_is_answered_with_no_cards(string file)
    {
        var response = await SendCaptureAsync(file, "bmes-order-select");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"cards":[]}"""));
    }

    [Test]
    public async Task Patient_view_capture_with_only_a_patient_prefetched_is_answered_with_no_cards()
    {
        var response = await SendCaptureAsync("patient-view.json", "bmes-patient-view");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"cards":[]}"""));
    }

    [Test]
    public async Task Repeated_calls_for_each_form_change_give_the_same_answer_and_leave_nothing_behind()
    {
        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var response = await SendCaptureAsync("order-select-pama-study-and-reason.json", "bmes-order-select");
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.That(answers.Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Tolerated_fhir_quirks_are_logged_at_debug_with_locations_only()
    {
        await SendCaptureAsync("order-select-pama-screen-opened.json", "bmes-order-select");

        var quirkLines = _factory.Logs.Lines.Where(line => line.Contains("tolerated FHIR issue", StringComparison.Ordinal)).ToList();
        Assert.That(quirkLines, Is.Not.Empty);
        Assert.That(quirkLines, Has.All.StartsWith("Debug"));
        Assert.That(quirkLines, Has.Some.Contains("code.coding[0]"));
    }
}
