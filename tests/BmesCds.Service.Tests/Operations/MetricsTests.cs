using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Auth;
using BmesCds.Service.Tests.Infrastructure;
using BmesCds.Service.Tests.PatientData;

namespace BmesCds.Service.Tests.Operations;

/// <summary>
/// /metrics of the real host after a sample run (README "Metrics"): authenticated calls answered from prefetch, from
/// the real FHIR test server and with an unreachable one, refused tokens and feedback. Each instrument is found with
/// its tags and the counts of that run (the difference between a scrape before and one after).
/// </summary>
[TestFixture]
public sealed class MetricsTests
{
    private const string BaseUrl = "https://cds.example.org";
    private const string Issuer = "https://ehr.example.com";
    private const string Busy = "https://busy-ehr.example.com";
    private const string C1 = "cases/C1-ct-after-normal-left-hip-xray.request.json";

    private TestSigningKey _key = null!;
    private FhirTestServer _fhir = null!;
    private BmesCdsFactory _factory = null!;
    private HttpClient _client = null!;
    private MetricsScrape _before = null!;
    private MetricsScrape _after = null!;

    [OneTimeSetUp]
    public async Task RunTheSamples()
    {
        _key = TestSigningKey.Ec("ES256");
        _fhir = await FhirTestServer.StartAsync();
        _factory = new BmesCdsFactory(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Required",
            ["Auth:PublicBaseUrl"] = BaseUrl,
            ["Auth:TrustedClients:0:Issuer"] = Issuer,
            ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(_key),
            ["Auth:TrustedClients:1:Issuer"] = Busy,
            ["Auth:TrustedClients:1:Jwks"] = TestSigningKey.Jwks(_key),
            ["Auth:TrustedClients:1:RequestsPerSecond"] = "0.001", // one call, then the next token in 1,000 s
        });
        _client = _factory.CreateCheckedClient();
        _before = await MetricsScrape.FromAsync(_client);

        var c1 = Json.Load(SampleFiles.FullPath(C1)).AsObject();
        await _fhir.LoadAsync(TestPatient.ResourcesOf((JsonObject)c1["prefetch"]!.DeepClone()));

        // Answered from prefetch: one replace-with-mri card (warning); then a CT without pain: silent (no-pain).
        Expect(await CallAsync("bmes-order-select", c1), HttpStatusCode.OK);
        Expect(await CallAsync("bmes-order-select", Requests.OrderSelect()), HttpStatusCode.OK);

        // The same C1 without prefetch: the 8 keys fetched from the real FHIR server, the same card.
        var fetched = (JsonObject)c1.DeepClone();
        fetched.Remove("prefetch");
        fetched.Remove("fhirAuthorization");
        fetched["fhirServer"] = _fhir.Base;
        Expect(await CallAsync("bmes-order-select", fetched), HttpStatusCode.OK);

        // A FHIR server nobody answers on: every key fails, the call is a 412.
        fetched["fhirServer"] = FhirTestServer.Unreachable();
        Expect(await CallAsync("bmes-order-select", fetched), HttpStatusCode.PreconditionFailed);

        // Refused tokens: none at all, one for another URL, one from an issuer nobody trusts.
        Expect(await SendAsync(HttpMethod.Get, "/cds-services", token: null), HttpStatusCode.Unauthorized);
        Expect(await SendAsync(HttpMethod.Get, "/cds-services", TokenFor("/cds-services/bmes-order-sign")), HttpStatusCode.Unauthorized);
        using var stranger = TestSigningKey.Ec("ES256");
        var untrusted = TokenBuilder.For(stranger, "https://stranger.example.net", BaseUrl + "/cds-services", DateTimeOffset.UtcNow).SignWith(stranger);
        Expect(await SendAsync(HttpMethod.Get, "/cds-services", untrusted), HttpStatusCode.Unauthorized);

        // A client over its limit: 429.
        Expect(await SendAsync(HttpMethod.Get, "/cds-services", TokenFor("/cds-services", Busy)), HttpStatusCode.OK);
        Expect(await SendAsync(HttpMethod.Get, "/cds-services", TokenFor("/cds-services", Busy)), HttpStatusCode.TooManyRequests);

        // Feedback on the card (the card ledger counts it as bmes_cds.feedback once it lands).
        var feedback = new JsonObject
        {
            ["feedback"] = new JsonArray(new JsonObject
            {
                ["card"] = "6f0b4bd8-4f7b-4a64-9b6f-2a1c6e0d5f11",
                ["outcome"] = "accepted",
                ["acceptedSuggestions"] = new JsonArray(new JsonObject { ["id"] = "0b7d1c52-1d2e-4c5b-8f7a-3e9d2c1b0a99" }),
                ["outcomeTimestamp"] = "2026-11-28T12:00:00Z",
            }),
        };
        Expect(await SendAsync(HttpMethod.Post, "/cds-services/bmes-order-select/feedback", TokenFor("/cds-services/bmes-order-select/feedback"), feedback), HttpStatusCode.OK);

        // The ledger stores feedback from its write queue, after the answer: scrape until it is counted (with a deadline).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            _after = await MetricsScrape.FromAsync(_client);
        }
        while (Delta("bmes_cds_feedback_total") < 1 && DateTime.UtcNow < deadline && await Pause());
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(50);
        return true;
    }

    [Test]
    public void Feedback_is_counted_by_outcome_once_the_ledger_stores_it()
    {
        Assert.That(Delta("bmes_cds_feedback_total", ("service", "bmes-order-select"), ("outcome", "accepted"), ("rule", "unknown")), Is.EqualTo(1), "a card this instance never issued");
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client?.Dispose();
        _factory?.Dispose();
        _fhir?.Dispose();
        _key?.Dispose();
    }

    [Test]
    public void Hook_duration_counts_each_call_by_service_hook_and_status()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Delta("bmes_cds_hook_duration_seconds_count", ("service", "bmes-order-select"), ("hook", "order-select"), ("status", "200")), Is.EqualTo(3));
            Assert.That(Delta("bmes_cds_hook_duration_seconds_count", ("service", "bmes-order-select"), ("hook", "order-select"), ("status", "412")), Is.EqualTo(1));
            Assert.That(Delta("bmes_cds_hook_duration_seconds_bucket", ("service", "bmes-order-select"), ("status", "200"), ("le", "+Inf")), Is.EqualTo(3));
            Assert.That(Delta("bmes_cds_hook_duration_seconds_sum", ("service", "bmes-order-select"), ("status", "200")), Is.GreaterThan(0));
        });
    }

    [Test]
    public void Cards_are_counted_by_rule_indicator_and_mode()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Delta("bmes_cds_cards_total", ("service", "bmes-order-select"), ("rule", "replace-with-mri"), ("indicator", "warning"), ("mode", "live")), Is.EqualTo(2));
            Assert.That(Delta("bmes_cds_cards_total"), Is.EqualTo(2), "no other card");
        });
    }

    [Test]
    public void Silences_are_counted_by_reason()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Delta("bmes_cds_silences_total", ("service", "bmes-order-select"), ("reason", "no-pain")), Is.EqualTo(1));
            Assert.That(Delta("bmes_cds_silences_total"), Is.EqualTo(1), "the C1 calls judged their order with a card");
        });
    }

    [Test]
    public void Prefetch_keys_are_counted_as_supplied_fetched_or_failed()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Delta("bmes_cds_prefetch_keys_total", ("source", "supplied")), Is.EqualTo(20), "two calls with every key (ten) prefetched");
            Assert.That(Delta("bmes_cds_prefetch_keys_total", ("source", "fetched")), Is.EqualTo(10), "C1 without prefetch, from the FHIR server");
            Assert.That(Delta("bmes_cds_prefetch_keys_total", ("source", "failed")), Is.EqualTo(10), "C1 with a FHIR server nobody answers on");
            Assert.That(Delta("bmes_cds_prefetch_keys_total", ("key", "patient"), ("source", "fetched")), Is.EqualTo(1));
        });
    }

    [Test]
    public void Fhir_fetches_are_counted_by_key_and_outcome_with_their_pages()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Delta("bmes_cds_fhir_fetch_duration_seconds_count", ("outcome", "ok")), Is.EqualTo(10));
            Assert.That(Delta("bmes_cds_fhir_fetch_duration_seconds_count", ("outcome", "failed")), Is.EqualTo(10));
            Assert.That(Delta("bmes_cds_fhir_fetch_duration_seconds_count", ("key", "conditions"), ("outcome", "ok")), Is.EqualTo(1));
            Assert.That(Delta("bmes_cds_fhir_fetch_pages_sum", ("outcome", "ok")), Is.EqualTo(10), "one page per key");
            Assert.That(Delta("bmes_cds_fhir_fetch_pages_count", ("key", "observations"), ("outcome", "ok")), Is.EqualTo(1));
        });
    }

    [Test]
    public void Auth_failures_are_counted_by_reason_and_trusted_issuer_only()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Delta("bmes_cds_auth_failures_total", ("scheme", "cds-client"), ("reason", "MissingToken"), ("issuer", "none")), Is.EqualTo(1));
            Assert.That(Delta("bmes_cds_auth_failures_total", ("scheme", "cds-client"), ("reason", "WrongAudience"), ("issuer", Issuer)), Is.EqualTo(1));
            Assert.That(Delta("bmes_cds_auth_failures_total", ("scheme", "cds-client"), ("reason", "UntrustedIssuer"), ("issuer", "untrusted")), Is.EqualTo(1));
            Assert.That(_after.Text, Does.Not.Contain("stranger.example.net"), "an issuer nobody trusts is never a tag value");
        });
    }

    [Test]
    public void Rate_limited_calls_are_counted_by_client()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Delta("bmes_cds_rate_limit_rejections_total", ("client", Busy)), Is.EqualTo(1));
            Assert.That(Delta("bmes_cds_rate_limit_rejections_total"), Is.EqualTo(1));
        });
    }

    [Test]
    public void The_framework_meters_are_exported_too()
    {
        Assert.That(_after.Samples.Select(s => s.Name), Has.Some.StartsWith("http_server_request_duration_seconds"));
        Assert.That(_after.Samples.Select(s => s.Name), Has.Some.StartsWith("http_client_request_duration_seconds"), "the FHIR fetches");
    }

    [Test]
    public void No_tag_carries_patient_data_or_a_call_id()
    {
        var values = _after.Samples.SelectMany(sample => sample.Labels.Values).Distinct().ToList();
        var c1 = Json.Load(SampleFiles.FullPath(C1));
        TestContext.Out.WriteLine(_after.Text);

        Assert.That(values, Has.None.EqualTo((string)c1["context"]!["patientId"]!).And.None.Contains((string)c1["hookInstance"]!));
        Assert.That(values, Has.None.Contains("Patient/").And.None.Contains("?patient="), "no URL path or query of a FHIR fetch");
    }

    /// <summary>
    /// deploy/grafana/bmes-cds.json queries only what the service exports: every metric name, every label it filters on
    /// and every label it groups by is in the scrape of this sample run.
    /// </summary>
    [Test]
    public void Every_metric_and_label_the_grafana_dashboard_queries_is_exported()
    {
        var queries = GrafanaDashboard.Queries(Repository.Combine("deploy", "grafana", "bmes-cds.json"));
        var exported = _after.Samples.GroupBy(sample => sample.Name)
            .ToDictionary(group => group.Key, group => group.SelectMany(sample => sample.Labels.Keys).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        Assert.That(queries, Has.Count.GreaterThanOrEqualTo(10));
        Assert.Multiple(() =>
        {
            foreach (var query in queries)
            {
                foreach (var (metric, labels) in query.Selectors)
                {
                    Assert.That(exported, Does.ContainKey(metric), $"the dashboard queries {metric}, which /metrics does not export: {query.Expression}");
                    if (exported.TryGetValue(metric, out var known))
                    {
                        Assert.That(labels.Where(label => label != "job"), Is.SubsetOf(known), $"{metric}: {query.Expression}");
                    }
                }

                var grouped = query.Selectors.Where(s => exported.ContainsKey(s.Metric)).SelectMany(s => exported[s.Metric]).Append("le").ToHashSet(StringComparer.Ordinal);
                if (query.Selectors.All(s => exported.ContainsKey(s.Metric)))
                {
                    Assert.That(query.GroupedBy.Distinct(), Is.SubsetOf(grouped), query.Expression);
                }
            }
        });
    }

    private double Delta(string name, params (string Label, string Value)[] labels) => _after.Sum(name, labels) - _before.Sum(name, labels);

    private Task<HttpResponseMessage> CallAsync(string service, JsonObject request) =>
        SendAsync(HttpMethod.Post, $"/cds-services/{service}", TokenFor($"/cds-services/{service}"), request);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = Json.Body(body);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _client.SendAsync(request);
    }

    private string TokenFor(string path, string issuer = Issuer) => TokenBuilder.For(_key, issuer, BaseUrl + path, DateTimeOffset.UtcNow).SignWith(_key);

    private static void Expect(HttpResponseMessage response, HttpStatusCode status) =>
        Assert.That(response.StatusCode, Is.EqualTo(status), () => response.Content.ReadAsStringAsync().Result);
}
