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
/// Where a call's allocations and time go, stage by stage (parse, record, engine, cards, JSON; the floor's token pass for
/// scale): bytes per call on this thread, wall-clock and CPU microseconds per call (the CPU time is the process's, GC threads
/// included: on a shared machine it is steadier than the wall clock), and the fastest of 20 shorter rounds.
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

        if (args.Length > 2 && args[2] == "pairs")
        {
            Pairs(body, iterations, () => HookRequestParser.Parse(body, service.Hook, limits, walker));
            return;
        }

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

        Report("floor", iterations, () =>
        {
            var reader = new Utf8JsonReader(body);
            var tokens = 0;
            while (reader.Read())
            {
                tokens++;
            }

            return tokens;
        });
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

    // The floor and the parse stage, call after call in turn, so that both meet the same disturbances: medians of each.
    private static void Pairs(byte[] body, int iterations, Func<object> parse)
    {
        var floor = new double[iterations];
        var parsed = new double[iterations];
        for (var i = -iterations / 5; i < iterations; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
            }

            var between = System.Diagnostics.Stopwatch.GetTimestamp();
            parse();
            var ended = System.Diagnostics.Stopwatch.GetTimestamp();
            if (i >= 0)
            {
                floor[i] = System.Diagnostics.Stopwatch.GetElapsedTime(started, between).TotalMicroseconds;
                parsed[i] = System.Diagnostics.Stopwatch.GetElapsedTime(between, ended).TotalMicroseconds;
            }
        }

        Array.Sort(floor);
        Array.Sort(parsed);
        Console.WriteLine($"pairs: floor median {floor[iterations / 2]:F1} us (p10 {floor[iterations / 10]:F1}), parse median {parsed[iterations / 2]:F1} us (p10 {parsed[iterations / 10]:F1}), "
            + $"ratio {parsed[iterations / 2] / floor[iterations / 2]:F2} (p10 {parsed[iterations / 10] / floor[iterations / 10]:F2})");
    }

    private static void Report(string stage, int iterations, Func<object> action)
    {
        for (var i = 0; i < 100; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        var micros = clock.Elapsed.TotalMicroseconds / iterations;
        process.Refresh();
        var cpuMicros = (process.TotalProcessorTime - cpu).TotalMicroseconds / iterations;
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)iterations;

        // The fastest of 20 rounds of a twentieth each: the least disturbed by other work on a shared machine.
        var fastest = double.MaxValue;
        for (var round = 0; round < 20; round++)
        {
            clock.Restart();
            for (var i = 0; i < Math.Max(1, iterations / 20); i++)
            {
                action();
            }

            fastest = Math.Min(fastest, clock.Elapsed.TotalMicroseconds / Math.Max(1, iterations / 20));
        }

        Console.WriteLine($"{stage,-8} {bytes / 1024.0,8:F1} KB per call {micros,10:F1} us per call ({cpuMicros:F1} us CPU, fastest round {fastest:F1} us)");
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
