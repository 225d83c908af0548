using System.Net;
using System.Text.Json.Nodes;
using BmesCds.Service.FhirServers;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.PatientData;

/// <summary>
/// A FHIR server that misbehaves on purpose (real Kestrel on loopback): slow, endless, huge, invalid, redirecting,
/// paging in circles, sending the wrong content. Each time the call gets its 412 naming the key, the service stops
/// reading where the caps say, reads the same for every kind of "unusable server", and goes on serving.
/// </summary>
public sealed class HostileFhirServerTests
{
    private const string ConditionsTemplate = "Condition?patient={{context.patientId}}&_count=200";
    private const long AnswerCap = 1024 * 1024;

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);
    private static readonly string Generic = $"prefetch.conditions: {FhirServerPolicy.Refusal(ConditionsTemplate)}";

    private HostileFhirServer _fhir = null!;
    private FallbackHost _host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _fhir = await HostileFhirServer.StartAsync();
        _host = new FallbackHost(new Dictionary<string, string?>
        {
            ["Fhir:TimeBudgetSeconds"] = "2",
            ["Fhir:MaxBytesPerAnswer"] = AnswerCap.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Fhir:MaxBytesPerCall"] = (4 * AnswerCap).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _host.Dispose();
        await _fhir.DisposeAsync();
    }

    [SetUp]
    public void ClearLog() => _host.Logs.Clear();

    /// <summary>A call that has every key but conditions, which it must fetch from the behaviour's server.</summary>
    private async Task<(HttpStatusCode Status, string Diagnostics, string? Expression)> FetchConditions(string behaviour, JsonObject? prefetch = null, string? token = null)
    {
        if (prefetch is null)
        {
            prefetch = TestPatient.Prefetch();
            prefetch.Remove("conditions");
        }

        var response = await _host.PostAsync(TestPatient.PatientView(_fhir.BaseFor(behaviour), prefetch, token));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed), body);
        var (diagnostics, expression) = await Json.ReadOutcomeAsync(response);
        return (response.StatusCode, diagnostics, expression);
    }

    /// <summary>The host still answers a plain call (and one that fetches from a good server) after the attack.</summary>
    private async Task AssertStillServing()
    {
        var full = await _host.PostAsync(TestPatient.PatientView(fhirServer: null, TestPatient.Prefetch()));
        Assert.That(full.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a call with full prefetch after the attack");
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("conditions");
        var fetched = await _host.PostAsync(TestPatient.PatientView(_fhir.BaseFor("good"), prefetch));
        Assert.That(fetched.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a call fetching from a good server after the attack");
    }

    [TestCase("slow-headers")]
    [TestCase("slow-body")]
    public async Task A_slow_server_is_given_up_at_the_time_budget(string behaviour)
    {
        var (_, diagnostics, expression) = await FetchConditions(behaviour);

        Assert.That(expression, Is.EqualTo("prefetch.conditions"));
        Assert.That(diagnostics, Does.Contain("still pending when the 2 s time budget for the FHIR server ran out"));
        Assert.That(await Poll.UntilAsync(() => _fhir.Abandoned(behaviour) == _fhir.Requests(behaviour), Within), Is.True, "the service hung up on the slow server");
        await AssertStillServing();
    }

    [Test]
    public async Task An_endless_answer_is_abandoned_at_the_answer_cap_without_holding_its_memory()
    {
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("conditions");
        var response = await _host.PostAsync(TestPatient.PatientView(_fhir.EndlessBase, prefetch));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var (diagnostics, _) = await Json.ReadOutcomeAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That(diagnostics, Is.EqualTo($"prefetch.conditions: the answer to {ConditionsTemplate} is larger than {AnswerCap} bytes (Fhir:MaxBytesPerAnswer); it was not read further"));
        Assert.That(await Poll.UntilAsync(() => _fhir.EndlessAbandoned == 1, Within), Is.True, "the service hung up on the endless answer");
        // What the server got the kernel to take before the service hung up: the cap plus loopback socket buffers.
        Assert.That(_fhir.EndlessBytesSent, Is.LessThan(32L * 1024 * 1024));
        // Allocations of the whole process during the call (this test, the host, the hostile server): bounded by
        // the cap, not by what the server would send.
        Assert.That(allocated, Is.LessThan(24L * 1024 * 1024));
        TestContext.Out.WriteLine($"endless answer: {_fhir.EndlessBytesSent} bytes sent, {allocated} bytes allocated in the process during the call");
        await AssertStillServing();
    }

    [Test]
    public async Task An_answer_announcing_more_than_the_cap_is_not_read()
    {
        var (_, diagnostics, _) = await FetchConditions("announced-huge");

        Assert.That(diagnostics, Does.Contain($"is larger than {AnswerCap} bytes (Fhir:MaxBytesPerAnswer)"));
        Assert.That(await Poll.UntilAsync(() => _fhir.Abandoned("announced-huge") == 1, Within), Is.True, "the service hung up on the huge answer");
        await AssertStillServing();
    }

    [Test]
    public async Task The_answers_of_one_call_share_its_byte_budget()
    {
        // Seven searches of about 300 KB each: each under the 1 MB answer cap, together over the 1 MB call budget.
        _fhir.BigPageResources = 1500;
        using var host = new FallbackHost(new Dictionary<string, string?>
        {
            ["Fhir:MaxBytesPerAnswer"] = AnswerCap.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Fhir:MaxBytesPerCall"] = AnswerCap.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var prefetch = new JsonObject { ["patient"] = TestPatient.Patient(TestPatient.Id) };

        var response = await host.PostAsync(TestPatient.PatientView(_fhir.BaseFor("big"), prefetch));

        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed), body);
        Assert.That(body, Does.Contain($"the FHIR answers of this call went over {AnswerCap} bytes (Fhir:MaxBytesPerCall)"));
    }

    [TestCase("invalid", "with a body that is not JSON")]
    [TestCase("deep", "with JSON that is not a FHIR resource")]
    [TestCase("html", "answered with a Content-Type that is not JSON")]
    [TestCase("status-401", "answered 401 Unauthorized")]
    [TestCase("status-404", "answered 404 Not Found")]
    [TestCase("status-500", "answered 500 Internal Server Error")]
    [TestCase("redirect", "answered 302 Found (redirects are not followed)")]
    [TestCase("close", "gave no usable answer")]
    public async Task Every_kind_of_unusable_answer_reads_the_same_and_the_reason_is_logged(string behaviour, string logged)
    {
        _fhir.RedirectTo = $"http://127.0.0.1:{_fhir.Port}/good";

        var (_, diagnostics, expression) = await FetchConditions(behaviour);

        Assert.That(expression, Is.EqualTo("prefetch.conditions"));
        Assert.That(diagnostics, Is.EqualTo(Generic));
        Assert.That(_host.Logs.Lines, Has.Some.Contains(logged).And.Contains("PrefetchKey=conditions"));
        Assert.That(_host.Logs.All, Does.Not.Contain("secret detail"), "the server's own error text is not logged");
        await AssertStillServing();
    }

    [Test]
    public async Task A_server_that_is_down_reads_the_same_as_one_that_answers_nonsense()
    {
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("conditions");

        var response = await _host.PostAsync(TestPatient.PatientView(FhirTestServer.Unreachable(), prefetch));

        var (diagnostics, _) = await Json.ReadOutcomeAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That(diagnostics, Is.EqualTo(Generic));
        Assert.That(_host.Logs.Lines, Has.Some.Contains("ConnectionRefused"));
    }

    [Test]
    public async Task A_redirect_is_not_followed_and_nothing_reaches_its_target()
    {
        using var target = new ConnectionCounter();
        _fhir.RedirectTo = $"http://127.0.0.1:{target.Port}";

        var (_, diagnostics, _) = await FetchConditions("redirect", token: "token-for-the-ehr-only");

        Assert.That(diagnostics, Is.EqualTo(Generic));
        Assert.That(target.Connections, Is.Zero);
    }

    [Test]
    public async Task A_page_linking_to_itself_stops_paging_at_once()
    {
        var (_, diagnostics, _) = await FetchConditions("self-paging");

        Assert.That(diagnostics, Is.EqualTo($"prefetch.conditions: the link to page 2 of {ConditionsTemplate} leads back to a page already read; paging stopped"));
        Assert.That(_fhir.Requests("self-paging"), Is.EqualTo(1));
        await AssertStillServing();
    }

    [Test]
    public async Task Endless_paging_stops_at_the_page_cap()
    {
        var (_, diagnostics, _) = await FetchConditions("paging-forever");

        Assert.That(diagnostics, Does.Contain("has more than 10 pages (Fhir:MaxPages)"));
        Assert.That(_fhir.Requests("paging-forever"), Is.EqualTo(10));
    }

    [Test]
    public async Task A_next_link_that_cannot_be_followed_fails_the_key_instead_of_ending_the_record()
    {
        var (_, diagnostics, _) = await FetchConditions("bad-next");

        Assert.That(diagnostics, Is.EqualTo($"prefetch.conditions: page 1 of {ConditionsTemplate} has a next link that cannot be followed (no usable URL); the rest was not read"));
    }

    [TestCase("42")]
    [TestCase("\"\"")]
    [TestCase("\"http://[::1\"")]
    [TestCase("\"file:///etc/passwd\"")]
    [TestCase("\"has spaces in it\"")]
    public async Task A_prefetched_page_whose_next_link_cannot_be_followed_fails_the_key(string url)
    {
        var prefetch = TestPatient.Prefetch();
        prefetch["conditions"]!["link"] = JsonNode.Parse($$"""[{"relation":"next","url":{{url}}}]""");
        var before = _fhir.Requests("good");

        var (_, diagnostics, expression) = await FetchConditions("good", prefetch);

        Assert.That(expression, Is.EqualTo("prefetch.conditions"));
        Assert.That(diagnostics, Does.Contain("has a next link that cannot be followed"));
        Assert.That(_fhir.Requests("good"), Is.EqualTo(before), "nothing was fetched");
    }

    [Test]
    public async Task Two_different_next_links_on_one_page_fail_the_key()
    {
        var prefetch = TestPatient.Prefetch();
        var good = _fhir.BaseFor("good");
        prefetch["conditions"]!["link"] = JsonNode.Parse($$"""[{"relation":"next","url":"{{good}}/Condition?page=2"},{"relation":"next","url":"{{good}}/Condition?page=3"}]""");

        var (_, diagnostics, _) = await FetchConditions("good", prefetch);

        Assert.That(diagnostics, Does.Contain("has a next link that cannot be followed"));
    }

    [TestCase("tok\r\nX-Injected: 1")]
    [TestCase("tok\0en")]
    [TestCase("tok en")]
    public async Task A_token_that_cannot_be_a_header_is_refused_at_the_door_and_nothing_is_sent(string token)
    {
        var before = _fhir.Requests("good");
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("conditions");

        var response = await _host.PostAsync(TestPatient.PatientView(_fhir.BaseFor("good"), prefetch, token));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Json.ReadOutcomeAsync(response)).Expression, Is.EqualTo("fhirAuthorization.access_token"));
        Assert.That(_fhir.Requests("good"), Is.EqualTo(before), "nothing was sent");
        await AssertStillServing();
    }
}
