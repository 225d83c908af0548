using BenchmarkDotNet.Attributes;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;
using BmesCds.Service.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BmesCds.Benchmarks;

/// <summary>
/// What the telemetry of one hook call costs by itself (issue 14): the metric calls the host makes per call (duration,
/// one card, one silence, eight prefetch keys) and the spans (hook, evaluation, eight fetches). Exported: the service's
/// OpenTelemetry MeterProvider / TracerProvider listen, as in production; not exported: nothing listens (a flag check).
/// BenchmarkDotNet runs each case in its own process, so a listener of one case cannot reach the other.
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    private static readonly string[] Keys =
        ["patient", "conditions", "observations", "imagingObservations", "imagingStudies", "diagnosticReports", "serviceRequests", "medicationRequests"];

    private ServiceProvider _services = null!;
    private BmesMetrics _metrics = null!;
    private CdsServiceDefinition _service = null!;
    private Evaluation _evaluation = null!;
    private List<KeyReport> _keys = null!;

    [Params(false, true)]
    public bool Exported { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection().AddBmesMetrics();
        if (Exported)
        {
            services.AddOpenTelemetry()
                .WithMetrics(metrics => TelemetrySetup.ConfigureMetrics(metrics).AddPrometheusExporter())
                .WithTracing(tracing => TelemetrySetup.ConfigureTracing(tracing));
        }

        _services = services.BuildServiceProvider();
        _ = _services.GetService<MeterProvider>();
        _ = _services.GetService<TracerProvider>();
        _metrics = _services.GetRequiredService<BmesMetrics>();
        _service = CdsServiceCatalogue.All[0];

        var subject = new JudgedSubject(Joint.Hip, Side.Left, "ServiceRequest/ct-1", null);
        var card = new CardDraft("replace-with-mri", "Replace with MRI", CardIndicator.Warning, "MRI", null, [], [], [], ["replace-with-mri"], subject);
        _evaluation = new Evaluation(
            [card],
            [
                new Judgement(subject, null, [], Judgement.NoFindings, card),
                new Judgement(subject with { OrderReference = "ServiceRequest/xr-1" }, new Silence(SilenceReason.FirstXray, "first X-ray"), [], Judgement.NoFindings, null),
            ]);
        _keys = Keys.Select(key => new KeyReport(key, KeySource.Prefetched, 3, null, null)).ToList();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Description = "metrics of one hook call (duration, 1 card, 1 silence, 8 keys)")]
    public void HookMetrics()
    {
        _metrics.KeysResolved(_keys);
        _metrics.Judged(_service, _evaluation);
        _metrics.HookAnswered(_service, 200, TimeSpan.FromMilliseconds(1.5));
    }

    [Benchmark(Description = "spans of one hook call (hook, evaluation, 8 fetches)")]
    public void HookSpans()
    {
        using var hook = BmesActivitySource.StartHook(_service);
        BmesActivitySource.Identify(hook, "5b0b4f4e-6a0f-4f0e-9f43-0d4c6f2b9a11");
        foreach (var key in Keys)
        {
            using var fetch = BmesActivitySource.StartFetch(key);
            BmesActivitySource.Fetched(fetch, "ok", 200, 1, 3);
        }

        using (PipelineActivities.StartEvaluation())
        {
        }

        BmesActivitySource.Answered(hook, 200, 1);
    }
}
