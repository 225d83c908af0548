using System.Diagnostics;
using System.Net;
using BmesCds.Service.FhirServers;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.PatientData;

/// <summary>
/// The FHIR server misbehaves (wants a token, is slow, fails, is down): the call gets a 412 whose OperationOutcome
/// names the key and the reason, in time, and neither the token nor the patient id reaches the log.
/// </summary>
public sealed class FhirServerFailureTests
{
    private const string Token = "s3cret-token-7f1c2e";
    private const int DelayMs = 600;

    private FhirTestServer _secured = null!;
    private FhirTestServer _slow = null!;
    private FhirTestServer _failing = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var started = await Task.WhenAll(
            FhirTestServer.StartAsync(new Dictionary<string, string> { ["REQUIRE_BEARER"] = Token }),
            FhirTestServer.StartAsync(new Dictionary<string, string> { ["DELAY_MS"] = DelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            FhirTestServer.StartAsync(new Dictionary<string, string> { ["FAIL_PATHS"] = "^/fhir/ImagingStudy" }));
        (_secured, _slow, _failing) = (started[0], started[1], started[2]);
        foreach (var server in started)
        {
            await server.LoadAsync([.. TestPatient.ResourcesOf(TestPatient.Prefetch()), .. TestPatient.Distractors()]);
        }
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _secured?.Dispose();
        _slow?.Dispose();
        _failing?.Dispose();
    }

    private static IReadOnlyList<string> Everything => TestPatient.KeysOf(TestPatient.Prefetch());

    private static async Task<(string Diagnostics, string? Expression)> Assert412(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed), body);
        Assert.That(body, Does.Not.Contain(Token));
        return await Json.ReadOutcomeAsync(response);
    }

    [Test]
    public async Task Bearer_token_is_sent_when_given()
    {
        using var host = new FallbackHost();

        var response = await host.PostAsync(TestPatient.PatientView(_secured.Base, prefetch: null, token: Token));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(host.Records.Take(), Is.EqualTo(Everything));
        Assert.That(host.FhirRequests.Requests.Select(r => r.Authorization), Is.All.EqualTo($"Bearer {Token}"));
    }

    [Test]
    public async Task Server_answering_401_gives_412()
    {
        using var host = new FallbackHost();
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("conditions");

        var (diagnostics, expression) = await Assert412(await host.PostAsync(TestPatient.PatientView(_secured.Base, prefetch)));

        Assert.That(expression, Is.EqualTo("prefetch.conditions"));
        Assert.That(diagnostics, Is.EqualTo($"prefetch.conditions: {FhirServerPolicy.Refusal("Condition?patient={{context.patientId}}&_count=200")}"));
        Assert.That(host.Logs.Lines, Has.Some.Contains("answered 401 Unauthorized").And.Contains("PrefetchKey=conditions"), "the reason is logged");
    }

    [Test]
    public async Task A_wrong_token_gives_412_without_showing_it()
    {
        using var host = new FallbackHost();

        var (diagnostics, _) = await Assert412(await host.PostAsync(TestPatient.PatientView(_secured.Base, prefetch: null, token: "wrong-" + Token)));

        Assert.That(diagnostics, Does.Contain("10 prefetch keys could not be had").And.Contain("could not be fetched from fhirServer"));
    }

    [Test]
    public async Task Token_is_never_logged()
    {
        using var host = new FallbackHost();

        var ok = await host.PostAsync(TestPatient.PatientView(_secured.Base, prefetch: null, token: Token));
        var refused = await host.PostAsync(TestPatient.PatientView(_secured.Base, prefetch: null, token: Token + "-expired"));

        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That(host.Logs.Lines, Has.Some.Contains("fetched prefetch key"), "the fetches were logged");
        Assert.That(host.Logs.Lines, Has.None.Contains(Token));
        Assert.That(host.Logs.Lines, Has.None.Contains(TestPatient.Id), "nor the patient id (it is in every FHIR URL)");
    }

    [Test]
    public async Task One_log_line_per_fetch_with_key_status_duration_and_count()
    {
        using var host = new FallbackHost();
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("observations");

        await host.PostAsync(TestPatient.PatientView(_secured.Base, prefetch, token: Token));

        var fetches = host.Logs.Lines.Where(line => line.Contains("fetched prefetch key", StringComparison.Ordinal)).ToList();
        Assert.That(fetches, Has.Count.EqualTo(1));
        Assert.That(fetches[0], Does.Contain("HookInstance=0c8b2a8e-8f41-4b0e-9a57-7a3a4b8d9e11")
            .And.Contain("PrefetchKey=observations").And.Contain("FetchOutcome=ok").And.Contain("FetchStatus=200")
            .And.Contain("ResourceCount=2").And.Contain("DurationMs="));
    }

    [Test]
    public async Task Server_down_gives_412()
    {
        using var host = new FallbackHost();
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("imagingStudies");

        var (diagnostics, expression) = await Assert412(await host.PostAsync(TestPatient.PatientView(FhirTestServer.Unreachable(), prefetch)));

        Assert.That(expression, Is.EqualTo("prefetch.imagingStudies"));
        Assert.That(diagnostics, Is.EqualTo($"prefetch.imagingStudies: {FhirServerPolicy.Refusal("ImagingStudy?patient={{context.patientId}}&_sort=-started&_count=50")}"));
        Assert.That(host.Logs.Lines, Has.Some.Contains("ConnectionRefused"), "the reason is logged");
    }

    [Test]
    public async Task Server_error_on_one_key_gives_412_naming_it()
    {
        using var host = new FallbackHost();

        var (diagnostics, expression) = await Assert412(await host.PostAsync(TestPatient.PatientView(_failing.Base, prefetch: null)));

        Assert.That(expression, Is.EqualTo("prefetch.imagingStudies"));
        Assert.That(diagnostics, Does.Contain(FhirServerPolicy.Refusal("ImagingStudy?patient={{context.patientId}}&_sort=-started&_count=50")));
        Assert.That(host.Logs.Lines, Has.Some.Contains("answered 500 Internal Server Error").And.Contains("PrefetchKey=imagingStudies"));
    }

    [Test]
    public async Task Server_error_on_an_optional_key_degrades_when_policy_says_so()
    {
        using var host = new FallbackHost(new Dictionary<string, string?> { ["Fhir:OptionalKeysOnFailure"] = "Degrade" });

        var response = await host.PostAsync(TestPatient.PatientView(_failing.Base, prefetch: null));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(host.Records.Take(), Is.EqualTo(Everything.Where(key => !key.StartsWith("ImagingStudy/", StringComparison.Ordinal))));
    }

    [Test]
    public async Task Slow_server_gives_412_within_the_budget()
    {
        using var host = new FallbackHost(new Dictionary<string, string?> { ["Fhir:TimeBudgetSeconds"] = "0.25" });
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("conditions");
        prefetch.Remove("medicationRequests");
        await host.PostAsync(TestPatient.PatientView(fhirServer: null, TestPatient.Prefetch())); // warm-up: JIT, not the budget

        var started = Stopwatch.GetTimestamp();
        var response = await host.PostAsync(TestPatient.PatientView(_slow.Base, prefetch));
        var elapsed = Stopwatch.GetElapsedTime(started);

        var (diagnostics, expression) = await Assert412(response);
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(0.25 + 1)));
        Assert.That(expression, Is.EqualTo("prefetch"));
        Assert.That(diagnostics, Does.Contain("'conditions': still pending when the 0.25 s time budget for the FHIR server ran out")
            .And.Contain("'medicationRequests': still pending"));
    }

    [Test]
    public async Task Fetches_run_in_parallel()
    {
        // The budget is not under test here: a loaded machine must not turn "parallel" into "timed out".
        using var host = new FallbackHost(new Dictionary<string, string?> { ["Fhir:TimeBudgetSeconds"] = "20", ["Requests:TimeoutSeconds"] = "60" });
        await host.PostAsync(TestPatient.PatientView(fhirServer: null, TestPatient.Prefetch())); // warm-up

        var started = Stopwatch.GetTimestamp();
        var response = await host.PostAsync(TestPatient.PatientView(_slow.Base, prefetch: null));
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(host.Records.Take(), Is.EqualTo(Everything));
        // The keys in parallel, then the statement's Medication (the test server ignores _include): about 2 x 600 ms.
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromMilliseconds(10 * DelayMs)), "10 keys of 600 ms each, one after the other, would take 6 s");
    }
}
