using System.Buffers;
using System.Text.Json;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Requests;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Testing;

namespace BmesCds.Benchmarks;

/// <summary>
/// Where a call's allocations go, stage by stage (parse, record, engine, cards, JSON): bytes per call on this thread.
/// A guide for optimisation, not a figure of record. Run: dotnet tests/BmesCds.Benchmarks/bin/Release/net10.0/BmesCds.Benchmarks.dll stages C1 2000
/// </summary>
internal static class StageAllocations
{
    public static void Run(string[] args)
    {
        var payload = args.Length > 0 ? args[0] : "C1";
        var iterations = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        byte[] body = payload == "C1" ? LargeRequests.C1() : LargeRequests.C1With(int.Parse(payload, System.Globalization.CultureInfo.InvariantCulture));
        var terminology = Vocabulary.Terminology;
        var walker = new FhirJsonWalker(new RecordInterest(terminology));
        var prefetch = new PrefetchOptions();
        var resolver = new PatientRecordResolver(new PrefetchPlanner(new PrefetchTemplateSet(terminology), prefetch), prefetch);
        var engine = new BmesEngine(terminology, new ClinicalOptions());
        var mapper = new CardMapper(new CardOptions());
        var limits = new RequestLimits();
        var service = CdsServiceCatalogue.Find("bmes-order-select")!;
        var output = new ArrayBufferWriter<byte>(64 * 1024);

        var request = HookRequestParser.Parse(body, service.Hook, limits, walker).Value!;
        var record = resolver.ResolveAsync(request, null, CancellationToken.None).GetAwaiter().GetResult();
        var evaluation = engine.Judge(new EvaluationRequest(request.Context, request.DraftOrders, record.Record!, SampleClock.SampleNow));
        var response = mapper.ToResponse(evaluation.Cards);

        if (args.Length > 2)
        {
            // stages C1 20000 engine: the types the named stage allocates most.
            using var types = new AllocationTypes();
            Func<object> stage = args[2] switch
            {
                "parse" => () => HookRequestParser.Parse(body, service.Hook, limits, walker),
                "record" => () => resolver.ResolveAsync(request, null, CancellationToken.None).GetAwaiter().GetResult(),
                "json" => () => { output.ResetWrittenCount(); using var w = new Utf8JsonWriter(output); JsonSerializer.Serialize(w, response, CdsJson.Options); return 0; }
                ,
                _ => () => engine.Judge(new EvaluationRequest(request.Context, request.DraftOrders, record.Record!, SampleClock.SampleNow)).Cards.Count,
            };
            types.Start();
            for (var i = 0; i < iterations; i++)
            {
                stage();
            }

            foreach (var (type, bytes) in types.Top(40))
            {
                Console.WriteLine($"{bytes / (double)iterations,10:F0} B/call  {type}");
            }

            return;
        }

        Report("parse", iterations, () => HookRequestParser.Parse(body, service.Hook, limits, walker));
        Report("record", iterations, () => resolver.ResolveAsync(request, null, CancellationToken.None).GetAwaiter().GetResult());
        Report("engine", iterations, () => engine.Judge(new EvaluationRequest(request.Context, request.DraftOrders, record.Record!, SampleClock.SampleNow)).Cards.Count);
        Report("cards", iterations, () => mapper.ToResponse(evaluation.Cards));
        Report("json", iterations, () =>
        {
            output.ResetWrittenCount();
            using var writer = new Utf8JsonWriter(output);
            JsonSerializer.Serialize(writer, response, CdsJson.Options);
            return 0;
        });
    }

    private static void Report(string stage, int iterations, Func<object> action)
    {
        for (var i = 0; i < 100; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        Console.WriteLine($"{stage,-8} {(GC.GetAllocatedBytesForCurrentThread() - before) / (double)iterations / 1024.0,8:F1} KB per call");
    }
}

/// <summary>Samples the runtime's AllocationTick events (about one per 100 KB) by type name: which types a stage allocates.</summary>
internal sealed class AllocationTypes : System.Diagnostics.Tracing.EventListener
{
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private bool _on;

    public void Start() => _on = true;

    public IEnumerable<KeyValuePair<string, long>> Top(int count)
    {
        _on = false;
        lock (_bytes)
        {
            return _bytes.OrderByDescending(pair => pair.Value).Take(count).ToList();
        }
    }

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs data)
    {
        if (!_on || data.EventName is null || !data.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || data.Payload is null)
        {
            return;
        }

        var type = data.PayloadNames!.IndexOf("TypeName") is var i and >= 0 ? data.Payload[i] as string ?? "?" : "?";
        lock (_bytes)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + 100_000;
        }
    }
}
