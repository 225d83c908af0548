using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.IntegrationConsole;

/// <summary>
/// The console's endpoints through the real host in Development without client authentication (where the console is
/// open): the samples, POST /console/evaluate running the service's own pipeline (every sample gets its golden
/// answer's cards), its refusals (the same limits and FHIR server policy as a service call), and what it never does
/// (record cards in the ledger, answer another origin).
/// </summary>
[TestFixture]
public sealed class ConsoleEndpointTests
{
    private const string C1 = "cases/C1-ct-after-normal-left-hip-xray.request.json";

    private BmesCdsFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _factory = new BmesCdsFactory();
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    public static IEnumerable<string> Samples() => SampleFiles.Requests();

    private Task<HttpResponseMessage> EvaluateAsync(JsonNode request, string query = "") =>
        _client.PostAsync("/console/evaluate" + query, Json.Body(request));

    [Test]
    public async Task The_samples_are_every_request_of_samples_cases_with_title_hook_and_body()
    {
        using var response = await _client.GetAsync("/console/samples");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var list = await Json.ReadAsync(response);
        Assert.That(list.GetProperty("writtenFor").GetDateTimeOffset(), Is.EqualTo(SampleClock.SampleNow));
        var samples = list.GetProperty("samples").EnumerateArray().ToList();
        var files = Directory.GetFiles(Repository.Cases, "*.request.json").Select(Path.GetFileName).Order().ToList();
        Assert.That(samples.Select(s => s.GetProperty("id").GetString() + ".request.json").Order(), Is.EqualTo(files));
        Assert.That(samples.Take(3).Select(s => s.GetProperty("id").GetString()), Is.EqualTo(new[]
        {
            "C1-ct-after-normal-left-hip-xray", "C2-first-right-hip-xray", "C3-pregnant-pelvis-xray",
        }), "C2 before C10");
        var c1 = samples[0];
        Assert.That(c1.GetProperty("title").GetString(), Is.EqualTo("C1 CT after normal left hip X-ray"));
        Assert.That(c1.GetProperty("hook").GetString(), Is.EqualTo("order-select"));
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(c1.GetProperty("request").GetRawText()), Json.Load(SampleFiles.FullPath(C1))), Is.True);
        var c6 = samples.Single(s => s.GetProperty("id").GetString()!.StartsWith("C6-", StringComparison.Ordinal));
        Assert.That(c6.GetProperty("note").GetString(), Does.Contain("side"), "the sample note of a version 2 change");
    }

    [TestCaseSource(nameof(Samples))]
    public async Task Every_sample_evaluated_in_the_console_gets_the_cards_of_its_golden_answer(string sample)
    {
        using var response = await EvaluateAsync(Json.Load(SampleFiles.FullPath(sample)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var answer = await Json.ReadAsync(response);
        Assert.That(answer.GetProperty("status").GetInt32(), Is.EqualTo(200));
        var golden = JsonDocument.Parse(File.ReadAllText(SampleFiles.ResponsePath(sample))).RootElement;
        Assert.That(Golden.Normalise(answer.GetProperty("response")), Is.EqualTo(Golden.Normalise(golden)));
        var explanation = answer.GetProperty("explanation");
        var cardRules = explanation.GetProperty("judgements").EnumerateArray()
            .Where(j => j.TryGetProperty("cardRule", out _)).Select(j => j.GetProperty("cardRule").GetString()).ToList();
        var topics = golden.GetProperty("cards").EnumerateArray().Select(c => c.GetProperty("source").GetProperty("topic").GetProperty("code").GetString()).ToList();
        Assert.That(cardRules, Is.EquivalentTo(topics), "one judgement with a card per card, of the same rule");
    }

    [Test]
    public async Task The_explanation_of_C1_names_the_fired_rule_the_findings_of_the_left_hip_and_the_supplied_keys()
    {
        using var response = await EvaluateAsync(Json.Load(SampleFiles.FullPath(C1)));

        var explanation = (await Json.ReadAsync(response)).GetProperty("explanation");
        Assert.That(explanation.GetProperty("service").GetString(), Is.EqualTo("bmes-order-select"));
        Assert.That(explanation.GetProperty("evaluatedAt").GetDateTimeOffset(), Is.EqualTo(SampleClock.SampleNow), "the service's clock");
        var judgement = explanation.GetProperty("judgements").EnumerateArray().Single();
        Assert.That(judgement.GetProperty("subject").GetString(), Is.EqualTo("ServiceRequest/ct-hip-left (left hip)"));
        Assert.That(judgement.GetProperty("orderClass").GetString(), Is.EqualTo("CT of the left hip, without contrast"));
        var fired = judgement.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("outcome").GetString() == "fired");
        Assert.That(fired.GetProperty("id").GetString(), Is.EqualTo("replace-with-mri"));
        Assert.That(fired.GetProperty("why").GetString(), Does.StartWith("After a normal radiograph, MRI without IV contrast"));
        Assert.That(fired.GetProperty("firesWhen").GetString(), Does.StartWith("PAIN, XR_NORMAL (90 days)"));
        var findings = judgement.GetProperty("findings").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("evidence")[0].GetString());
        Assert.That(findings["PAIN"], Is.EqualTo("Pain in left hip (M25.552), 2026-10-24"));
        Assert.That(findings["XR_NORMAL"], Does.EndWith("2026-11-07"));
        Assert.That(explanation.GetProperty("prefetch").EnumerateArray().Select(k => k.GetProperty("source").GetString()), Has.All.EqualTo("supplied"));
        Assert.That(explanation.GetProperty("timings").GetProperty("total").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public async Task Now_evaluates_the_request_at_another_instant()
    {
        // 2027-06-01: the normal X-ray of 2026-11-07 is older than 90 days, so it no longer counts.
        using var response = await EvaluateAsync(Json.Load(SampleFiles.FullPath(C1)), "?now=2027-06-01T09:00:00Z");

        var answer = await Json.ReadAsync(response);
        Assert.That(answer.GetProperty("response").GetProperty("cards").GetArrayLength(), Is.Zero);
        var explanation = answer.GetProperty("explanation");
        Assert.That(explanation.GetProperty("evaluatedAt").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2027, 6, 1, 9, 0, 0, TimeSpan.Zero)));
        var judgement = explanation.GetProperty("judgements")[0];
        Assert.That(judgement.GetProperty("silence").GetProperty("code").GetString(), Is.EqualTo("no-rule-fired"));
        Assert.That(judgement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("name").GetString()), Does.Not.Contain("XR_NORMAL"));
    }

    [TestCase("yesterday")]
    [TestCase("2026-13-01")]
    public async Task A_now_that_is_not_a_date_time_is_400_naming_now(string now)
    {
        using var response = await EvaluateAsync(Json.Load(SampleFiles.FullPath(C1)), "?now=" + Uri.EscapeDataString(now));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var (diagnostics, expression) = await Json.ReadOutcomeAsync(response);
        Assert.That((diagnostics, expression), Is.EqualTo(("now: must be an ISO 8601 date-time, e.g. 2026-11-28T12:00:00Z", "now")));
    }

    [Test]
    public async Task A_request_the_service_refuses_answers_its_status_with_the_operation_outcome_and_the_explanation()
    {
        // No prefetch and a fhirServer not on Fhir:AllowedServers: the policy refuses it, as for a service call.
        var request = Json.Load(SampleFiles.FullPath(C1));
        request.AsObject().Remove("prefetch");
        request["fhirServer"] = "https://fhir.example.org/r4";

        using var response = await EvaluateAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        var answer = await Json.ReadAsync(response);
        Assert.That(answer.GetProperty("status").GetInt32(), Is.EqualTo(412));
        var outcome = answer.GetProperty("response");
        Assert.That(outcome.GetProperty("resourceType").GetString(), Is.EqualTo("OperationOutcome"));
        Assert.That(outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), Does.Contain("could not be fetched from fhirServer"));
        var explanation = answer.GetProperty("explanation");
        Assert.That(explanation.GetProperty("refusal").GetProperty("message").GetString(), Does.Contain("could not be fetched from fhirServer"));
        var keys = explanation.GetProperty("prefetch").EnumerateArray().ToList();
        Assert.That(keys.Select(k => k.GetProperty("source").GetString()), Has.All.EqualTo("failed"));
        Assert.That(keys.Select(k => k.GetProperty("detail").GetString()), Has.All.Contain("could not be fetched from fhirServer"));
        Assert.That(_factory.Logs.All, Does.Contain("refused: not on Fhir:AllowedServers"));
    }

    [Test]
    public async Task A_hook_the_service_does_not_answer_is_400_naming_hook()
    {
        using var response = await _client.PostAsync("/console/evaluate", Json.Body("""{"hook":"encounter-start","hookInstance":"x"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var (diagnostics, expression) = await Json.ReadOutcomeAsync(response);
        Assert.That(diagnostics, Does.StartWith("hook: 'encounter-start' is not a hook BmesCds answers"));
        Assert.That(expression, Is.EqualTo("hook"));
    }

    [TestCase("not json at all", "")]
    [TestCase("""{"hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"}""", "hook")]
    public async Task A_body_without_a_readable_hook_gets_the_parser_s_own_answer(string body, string field)
    {
        using var response = await _client.PostAsync("/console/evaluate", Json.Body(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var answer = await Json.ReadAsync(response);
        Assert.That(answer.GetProperty("explanation").GetProperty("refusal").GetProperty("field").GetString(), Is.EqualTo(field));
        Assert.That(answer.GetProperty("response").GetProperty("resourceType").GetString(), Is.EqualTo("OperationOutcome"));
    }

    [Test]
    public async Task A_body_of_another_media_type_is_415()
    {
        using var content = new StringContent(File.ReadAllText(SampleFiles.FullPath(C1)), System.Text.Encoding.UTF8, "text/plain");

        using var response = await _client.PostAsync("/console/evaluate", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task A_body_over_Requests_MaxBodyBytes_is_413_as_for_a_service_call()
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?> { ["Requests:MaxBodyBytes"] = "4096" });
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/console/evaluate", Json.Body(Json.Load(SampleFiles.FullPath(C1))));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        var (diagnostics, _) = await Json.ReadOutcomeAsync(response);
        Assert.That(diagnostics, Does.Contain("Requests:MaxBodyBytes"));
    }

    [Test]
    public async Task Console_evaluations_are_not_recorded_in_the_card_ledger()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();
        var c1 = Json.Load(SampleFiles.FullPath(C1));

        using var console = await client.PostAsync("/console/evaluate", Json.Body(c1));
        using var hook = await client.PostAsync("/cds-services/bmes-order-select", Json.Body(c1));
        Assert.That((console.StatusCode, hook.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));

        // The ledger writes in the background: wait for the service call's card, then check it is the only one.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        long issued;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/report");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BmesCdsFactory.ManagementKey);
            using var report = await client.SendAsync(request);
            issued = (await Json.ReadAsync(report)).GetProperty("total").GetProperty("issuedLive").GetInt64();
            if (issued > 0)
            {
                break;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        Assert.That(issued, Is.EqualTo(1), "the service call's card only");
    }

    [Test]
    public async Task Console_evaluations_are_not_counted_as_hook_calls()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();
        var c1 = Json.Load(SampleFiles.FullPath(C1));

        var before = await MetricsScrape.FromAsync(client);
        using var console = await client.PostAsync("/console/evaluate", Json.Body(c1));
        var afterConsole = await MetricsScrape.FromAsync(client);
        using var hook = await client.PostAsync("/cds-services/bmes-order-select", Json.Body(c1));
        var afterHook = await MetricsScrape.FromAsync(client);

        double Cards(MetricsScrape scrape) => scrape.Sum("bmes_cds_cards_total", ("rule", "replace-with-mri"));
        Assert.That(console.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Cards(afterConsole) - Cards(before), Is.Zero, "the console's card is not counted");
        Assert.That(Cards(afterHook) - Cards(afterConsole), Is.EqualTo(1), "the service call's is");
    }

    [Test]
    public async Task Another_origin_gets_no_cors_answer_from_the_console_though_it_does_from_cds_services()
    {
        using var console = new HttpRequestMessage(HttpMethod.Get, "/console/samples");
        console.Headers.Add("Origin", "https://elsewhere.example");
        using var discovery = new HttpRequestMessage(HttpMethod.Get, "/cds-services");
        discovery.Headers.Add("Origin", "https://elsewhere.example");

        using var consoleAnswer = await _client.SendAsync(console);
        using var discoveryAnswer = await _client.SendAsync(discovery);

        Assert.That(consoleAnswer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(consoleAnswer.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        Assert.That(discoveryAnswer.Headers.Contains("Access-Control-Allow-Origin"), Is.True, "Development admits any origin on /cds-services");
    }

    [Test]
    public async Task The_page_and_its_assets_are_served_from_the_assembly_under_a_strict_content_security_policy()
    {
        using var page = await _client.GetAsync("/console");
        using var script = await _client.GetAsync("/console/assets/console.js");
        using var style = await _client.GetAsync("/console/assets/console.css");
        using var other = await _client.GetAsync("/console/assets/console.html");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("""<script src="/console/assets/console.js" defer></script>"""));
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"), "nothing from elsewhere");
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'none'").And.Contain("script-src 'self'"));
        Assert.That(script.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
        Assert.That(await script.Content.ReadAsStringAsync(), Does.Not.Match(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\("), "text is never parsed as HTML");
        Assert.That(style.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/css"));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
