using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BmesCds.Service.Http;
using BmesCds.Service.Tests.Infrastructure;
using BmesCds.Service.Tests.PatientData;

namespace BmesCds.Service.Tests.Operations;

/// <summary>
/// The built service as an operator runs it (Production, its own process, Kestrel): JSON log lines on standard output,
/// read one by one at every level, and the management addresses (Management:Urls) apart from the CDS ones.
/// </summary>
[TestFixture]
public sealed class ServiceProcessTests
{
    private const string Secret = "tok-SECRET-5d1e";
    private const string PatientId = "patient-UNIQUE-42";
    private static readonly ActivityTraceId EhrTrace = ActivityTraceId.CreateRandom();

    private FhirTestServer _fhir = null!;
    private ServiceProcess _service = null!;
    private Uri _cds = null!;
    private Uri _management = null!;
    private HttpClient _http = null!;
    private HttpResponseMessage _answer = null!;
    private JsonObject _request = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _fhir = await FhirTestServer.StartAsync();
        // The management port must be explicit (requests are told apart by port): a free one; the CDS port is 0.
        _management = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        _service = await ServiceProcess.StartAsync(
            $"--Management:Urls={_management.GetLeftPart(UriPartial.Authority)}",
            "--Management:ApiKeys:0=" + BmesCdsFactory.ManagementKey,
            "--Management:MetricsWithoutKey=true",
            "--Console:Enabled=true",
            "--Auth:Mode=Disabled",
            "--Fhir:AllowHttp=true",
            "--Fhir:AllowLoopback=true",
            $"--Fhir:AllowedServers:0={_fhir.Base}",
            "--Logging:LogLevel:Default=Trace",
            "--Logging:LogLevel:Microsoft.AspNetCore=Trace");
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        Assert.That(_service.ListeningOn().Select(address => address.Port), Has.Member(_management.Port));
        _cds = _service.ListeningOn().Single(address => address.Port != _management.Port);

        // A patient-view call whose record is fetched from the FHIR server with a bearer token, as an EHR would send it.
        var prefetch = TestPatient.Prefetch(PatientId);
        prefetch["patient"]!["name"] = new JsonArray(new JsonObject { ["family"] = "Doe-UNIQUE" });
        await _fhir.LoadAsync(TestPatient.ResourcesOf(prefetch));
        _request = TestPatient.PatientView(_fhir.Base, prefetch: null, token: Secret, id: PatientId);
        using var call = new HttpRequestMessage(HttpMethod.Post, new Uri(_cds, "/cds-services/bmes-patient-view")) { Content = Json.Body(_request) };
        call.Headers.Add("traceparent", $"00-{EhrTrace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        _answer = await _http.SendAsync(call);
        Assert.That(_answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), await _answer.Content.ReadAsStringAsync());
        Assert.That(await Poll.UntilAsync(() => _service.Lines.Any(line => line.Contains("answered 200", StringComparison.Ordinal)), TimeSpan.FromSeconds(20)), Is.True, "a log line for the answered call");
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _answer?.Dispose();
        _http?.Dispose();
        _service?.Dispose();
        _fhir?.Dispose();
    }

    [Test]
    public void Every_log_line_is_json_with_a_utc_timestamp_level_and_category()
    {
        var lines = _service.JsonLines();

        Assert.That(lines, Has.Count.GreaterThan(20), "Trace level: the host, routing, the hook call and its fetches");
        Assert.Multiple(() =>
        {
            foreach (var line in lines)
            {
                var timestamp = line.GetProperty("Timestamp").GetString()!;
                Assert.That(timestamp, Does.EndWith("Z"), timestamp);
                Assert.That(DateTimeOffset.TryParseExact(timestamp, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _), Is.True, timestamp);
                Assert.That(line.GetProperty("LogLevel").GetString(), Is.AnyOf("Trace", "Debug", "Information", "Warning", "Error", "Critical"));
                Assert.That(line.GetProperty("Category").GetString(), Is.Not.Empty);
            }
        });
    }

    [Test]
    public void The_lines_of_a_call_carry_the_trace_id_its_traceparent_answer_gave_and_the_hook_instance()
    {
        var traceparent = _answer.Headers.GetValues("traceparent").Single();
        var traceId = traceparent.Split('-')[1];
        var ofTheCall = _service.JsonLines().Where(line => Scope(line, "TraceId") == traceId).ToList();
        var hookInstance = (string)_request["hookInstance"]!;

        Assert.Multiple(() =>
        {
            Assert.That(traceId, Is.EqualTo(EhrTrace.ToHexString()), "the EHR's trace is continued");
            Assert.That(ofTheCall.Select(line => Scope(line, "SpanId")), Has.All.Not.Null.And.Not.Empty);
            Assert.That(ofTheCall.Select(line => line.GetProperty("Message").GetString()), Has.Some.Contains($"Hook {hookInstance} service bmes-patient-view answered 200"));
            var fetches = ofTheCall.Where(line => line.GetProperty("Message").GetString()!.Contains("fetched prefetch key", StringComparison.Ordinal)).ToList();
            Assert.That(fetches.Select(line => line.GetProperty("State").GetProperty("PrefetchKey").GetString()).ToList(), Is.EquivalentTo(new[]
            {
                "patient", "conditions", "observations", "imagingObservations", "imagingStudies", "diagnosticReports", "serviceRequests",
                "medicationRequests", "medicationStatements", "medicationAdministrations",
                "medicationStatements:medication", // the Medication a medicationReference names, read on its own
            }), "one line per prefetch key");
            Assert.That(fetches.Select(line => Scope(line, "HookInstance")), Has.All.EqualTo(hookInstance), "the hookInstance scope");
        });
    }

    [Test]
    public void No_line_at_any_level_holds_the_token_or_patient_data()
    {
        var output = string.Join('\n', _service.Lines);

        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain((string)_request["hookInstance"]!), "the hook instance is logged");
            Assert.That(output, Does.Not.Contain(Secret));
            Assert.That(output, Does.Not.Contain("UNIQUE"), "neither the patient id nor the name");
            Assert.That(output, Does.Not.Contain("1990-04-02"), "nor the birth date");
        });
    }

    [TestCase("/metrics")]
    [TestCase("/admin/report")]
    [TestCase("/console")]
    [TestCase("/console/samples")]
    public async Task Management_paths_are_not_served_on_the_cds_address(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_cds, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BmesCdsFactory.ManagementKey);

        using var response = await _http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Cds_services_are_not_served_on_the_management_address()
    {
        using var discovery = await _http.GetAsync(new Uri(_management, "/cds-services"));
        using var call = await _http.PostAsync(new Uri(_management, "/cds-services/bmes-patient-view"), Json.Body(_request));

        Assert.Multiple(() =>
        {
            Assert.That(discovery.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(call.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task On_the_management_address_metrics_may_be_scraped_without_a_key_but_admin_still_needs_one()
    {
        using var metrics = await _http.GetAsync(new Uri(_management, "/metrics"));
        using var admin = await _http.GetAsync(new Uri(_management, "/admin/report"));
        var text = await metrics.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(text, Does.Contain("bmes_cds_hook_duration_seconds_count{"));
            Assert.That(admin.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task The_console_answers_on_the_management_address_its_data_with_a_key()
    {
        using var page = await _http.GetAsync(new Uri(_management, "/console"));
        using var withoutKey = await _http.GetAsync(new Uri(_management, "/console/samples"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_management, "/console/samples"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BmesCdsFactory.ManagementKey);
        using var withKey = await _http.SendAsync(request);

        Assert.That((page.StatusCode, withoutKey.StatusCode, withKey.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.OK)));
    }

    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    public async Task Health_answers_on_both_addresses(string path)
    {
        using var onCds = await _http.GetAsync(new Uri(_cds, path));
        using var onManagement = await _http.GetAsync(new Uri(_management, path));

        Assert.That(new[] { onCds.StatusCode, onManagement.StatusCode }, Has.All.EqualTo(HttpStatusCode.OK));
    }

    // Kestrel's own transport (not the test server): a body stays in Kestrel's blocks until it has arrived, or is copied
    // out as it comes once it passes RequestBodyReader.HeldByKestrelAtMost; either way the same request is read.
    [TestCase(250, TestName = "Over Kestrel a 123 KB body is read whole, with Content-Length or chunked and slow")]
    [TestCase(1500, TestName = "Over Kestrel a 1 MB body, past what Kestrel holds, is read whole, with Content-Length or chunked and slow")]
    public async Task Over_kestrel_a_large_body_is_read_whole_however_it_arrives(int resources)
    {
        var body = LargeRequests.C1With(resources);
        Assert.That(body, Has.Length.GreaterThan(resources > 1000 ? RequestBodyReader.HeldByKestrelAtMost : 100_000));

        var withLength = await BodyPosts.CardSummariesAsync(_http, new Uri(_cds, "/cds-services/bmes-order-select"), new ByteArrayContent(body), chunked: false);
        var chunked = await BodyPosts.CardSummariesAsync(_http, new Uri(_cds, "/cds-services/bmes-order-select"), new StreamContent(new TrickleStream(body, 8192)), chunked: true);

        Assert.That(withLength, Has.Count.EqualTo(1), "C1's card");
        Assert.That(chunked, Is.EqualTo(withLength));
    }

    // A value of the JSON console's scopes (the activity scope has TraceId and SpanId, ours HookInstance).
    private static string? Scope(JsonElement line, string name) =>
        line.TryGetProperty("Scopes", out var scopes)
            ? scopes.EnumerateArray()
                .Where(scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty(name, out _))
                .Select(scope => scope.GetProperty(name).ToString())
                .FirstOrDefault()
            : null;
}
