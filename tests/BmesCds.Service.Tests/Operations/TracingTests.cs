using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using BmesCds.Service.Telemetry;
using BmesCds.Service.Tests.Infrastructure;
using BmesCds.Service.Tests.PatientData;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace BmesCds.Service.Tests.Operations;

/// <summary>
/// The spans of one hook call, as an in-memory exporter receives them from the service's own tracing configuration
/// (<see cref="TelemetrySetup.ConfigureTracing"/>; in production the exporter is OTLP): C1 without prefetch, its keys
/// fetched from the real FHIR test server, called with an EHR's traceparent.
/// </summary>
[TestFixture]
public sealed class TracingTests
{
    private const string C1 = "cases/C1-ct-after-normal-left-hip-xray.request.json";
    private static readonly ActivityTraceId EhrTrace = ActivityTraceId.CreateRandom();
    private static readonly ActivitySpanId EhrSpan = ActivitySpanId.CreateRandom();

    private readonly SpanList _spans = new();
    private FhirTestServer _fhir = null!;
    private BmesCdsFactory _factory = null!;
    private HttpResponseMessage _response = null!;
    private JsonObject _request = null!;

    [OneTimeSetUp]
    public async Task CallOnce()
    {
        _fhir = await FhirTestServer.StartAsync();
        _factory = new BmesCdsFactory(configureServices: services =>
            services.AddOpenTelemetry().WithTracing(tracing => TelemetrySetup.ConfigureTracing(tracing).AddInMemoryExporter(_spans)));
        using var client = _factory.CreateCheckedClient();
        _request = Json.Load(SampleFiles.FullPath(C1)).AsObject();
        await _fhir.LoadAsync(TestPatient.ResourcesOf((JsonObject)_request["prefetch"]!.DeepClone()));
        _request.Remove("prefetch");
        _request.Remove("fhirAuthorization");
        _request["fhirServer"] = _fhir.Base;

        using var message = new HttpRequestMessage(HttpMethod.Post, "/cds-services/bmes-order-select") { Content = Json.Body(_request) };
        message.Headers.Add("traceparent", $"00-{EhrTrace.ToHexString()}-{EhrSpan.ToHexString()}-01");
        _response = await client.SendAsync(message);
        Assert.That(_response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await _response.Content.ReadAsStringAsync());

        // The request span ends after the response is written: wait for it (with a deadline), never a fixed sleep.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!_spans.Snapshot().Any(span => span.Kind == ActivityKind.Server && span.TraceId == EhrTrace) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _response?.Dispose();
        _factory?.Dispose();
        _fhir?.Dispose();
    }

    private List<Activity> Trace => _spans.Snapshot().Where(span => span.TraceId == EhrTrace).ToList();

    private Activity HookSpan => Trace.Single(span => span.OperationName == BmesActivitySource.HookSpan);

    [Test]
    public void The_hook_span_continues_the_ehr_trace_under_the_request_span_with_the_hook_instance()
    {
        var server = Trace.Single(span => span.Kind == ActivityKind.Server);
        var hook = HookSpan;

        Assert.Multiple(() =>
        {
            Assert.That(server.ParentSpanId, Is.EqualTo(EhrSpan), "the request span is the child of the EHR's span");
            Assert.That(hook.ParentSpanId, Is.EqualTo(server.SpanId));
            Assert.That(hook.GetTagItem(BmesActivitySource.Attributes.HookInstance), Is.EqualTo((string)_request["hookInstance"]!));
            Assert.That(hook.GetTagItem(BmesActivitySource.Attributes.Service), Is.EqualTo("bmes-order-select"));
            Assert.That(hook.GetTagItem(BmesActivitySource.Attributes.Hook), Is.EqualTo("order-select"));
            Assert.That(hook.GetTagItem(BmesActivitySource.Attributes.StatusCode), Is.EqualTo(200));
            Assert.That(hook.GetTagItem(BmesActivitySource.Attributes.Cards), Is.EqualTo(1));
        });
    }

    [Test]
    public void Each_fhir_fetch_is_a_child_span_of_the_hook_with_its_key_outcome_and_pages()
    {
        var fetches = Trace.Where(span => span.OperationName == BmesActivitySource.FetchSpan).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(fetches.Select(span => span.GetTagItem(BmesActivitySource.Attributes.PrefetchKey)), Is.EquivalentTo(new[]
            {
                "patient", "conditions", "observations", "imagingObservations", "imagingStudies", "diagnosticReports", "serviceRequests", "medicationRequests",
                "medicationStatements", "medicationAdministrations",
            }));
            Assert.That(fetches.Select(span => span.ParentSpanId), Has.All.EqualTo(HookSpan.SpanId));
            Assert.That(fetches.Select(span => span.GetTagItem(BmesActivitySource.Attributes.FetchOutcome)), Has.All.EqualTo("ok"));
            Assert.That(fetches.Select(span => span.GetTagItem(BmesActivitySource.Attributes.FetchPages)), Has.All.EqualTo(1));
        });
    }

    [Test]
    public void The_http_calls_to_the_fhir_server_are_children_of_the_fetch_spans()
    {
        var fetchIds = Trace.Where(span => span.OperationName == BmesActivitySource.FetchSpan).Select(span => span.SpanId).ToHashSet();
        var calls = Trace.Where(span => span.Kind == ActivityKind.Client).ToList();

        Assert.That(calls, Has.Count.EqualTo(10), "one GET per prefetch key");
        Assert.That(calls.Select(span => span.ParentSpanId), Has.All.Matches<ActivitySpanId>(fetchIds.Contains));
    }

    [Test]
    public void The_evaluation_is_a_child_span_of_the_hook()
    {
        var evaluation = Trace.Single(span => span.OperationName == BmesActivitySource.EvaluationSpan);

        Assert.That(evaluation.ParentSpanId, Is.EqualTo(HookSpan.SpanId));
    }

    [Test]
    public void No_span_attribute_holds_the_patient_id_or_a_fhir_url_path()
    {
        var patientId = (string)_request["context"]!["patientId"]!;
        var values = Trace.SelectMany(span => span.TagObjects).Select(tag => Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(values, Has.None.EqualTo(patientId));
            Assert.That(values, Has.None.Contains($"/{patientId}").And.None.Contains($"={patientId}"));
            Assert.That(values.Where(value => value.StartsWith(_fhir.Base.Split("/fhir")[0], StringComparison.Ordinal)), Has.All.EqualTo(_fhir.Base.Split("/fhir")[0]),
                "a client span's url.full is the FHIR server's origin only");
        });
    }

    [Test]
    public void The_response_carries_the_request_span_context_in_traceresponse_and_traceparent()
    {
        var server = Trace.Single(span => span.Kind == ActivityKind.Server);
        var expected = $"00-{EhrTrace.ToHexString()}-{server.SpanId.ToHexString()}-01";

        Assert.Multiple(() =>
        {
            Assert.That(_response.Headers.GetValues("traceresponse"), Is.EqualTo(new[] { expected }));
            Assert.That(_response.Headers.GetValues("traceparent"), Is.EqualTo(new[] { expected }));
        });
    }

    [Test]
    public async Task Browser_clients_may_read_the_trace_headers_and_retry_after()
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cds-services");
        request.Headers.Add("Origin", "https://sandbox.cds-hooks.org");

        using var response = await client.SendAsync(request);

        var exposed = string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")).Split(',', StringSplitOptions.TrimEntries);
        Assert.That(exposed, Is.SupersetOf(new[] { "traceresponse", "traceparent", "Retry-After" }));
    }

    /// <summary>The exporter's collection: written by the host's threads, read by the test.</summary>
    private sealed class SpanList : ICollection<Activity>
    {
        private readonly List<Activity> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public List<Activity> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(Activity item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(Activity item) => Snapshot().Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(Activity item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
