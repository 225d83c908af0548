using System.Diagnostics;

namespace BmesCds.Benchmarks;

/// <summary>
/// A quick look between BenchmarkDotNet runs (not a measurement of record): the pipeline and the floor on one payload,
/// mean time and bytes allocated per call. Run: dotnet run -c Release --project tests/BmesCds.Benchmarks -- quick C1 2000
/// (add `pairs` to time the floor and the pipeline call after call in turn, steadier on a busy machine).
/// </summary>
internal static class QuickProfile
{
    public static void Run(string[] args)
    {
        var bench = new PipelineBenchmarks { Payload = args.Length > 0 ? args[0] : "C1" };
        bench.Setup();
        var iterations = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        if (args.Length > 2 && args[2] == "pairs")
        {
            Pairs(bench, iterations);
            return;
        }

        if (args.Length > 2 && args[2] == "series")
        {
            Series(bench, iterations);
            return;
        }

        var floor = Measure(() => bench.Floor(), iterations);
        var pipeline = Measure(() => bench.Pipeline(), iterations);
        Console.WriteLine($"payload {bench.Payload} ({bench.BodyBytes} bytes): floor {floor.Micros:F1} us ({floor.CpuMicros:F1} us CPU), "
            + $"pipeline {pipeline.Micros:F1} us ({pipeline.CpuMicros:F1} us CPU, x{pipeline.CpuMicros / floor.CpuMicros:F1} of the floor's CPU), "
            + $"allocated {pipeline.Bytes / 1024.0:F1} KB (x{pipeline.Bytes / bench.BodyBytes:F1} of the body)");
    }

    // The floor and the pipeline call after call in turn, so that both meet the same disturbances of a shared machine:
    // the medians and tenth percentiles of each, and their ratios.
    private static void Pairs(PipelineBenchmarks bench, int iterations)
    {
        var floor = new double[iterations];
        var pipeline = new double[iterations];
        for (var i = -Math.Max(50, iterations / 5); i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            bench.Floor();
            var between = Stopwatch.GetTimestamp();
            bench.Pipeline();
            var ended = Stopwatch.GetTimestamp();
            if (i >= 0)
            {
                floor[i] = Stopwatch.GetElapsedTime(started, between).TotalMicroseconds;
                pipeline[i] = Stopwatch.GetElapsedTime(between, ended).TotalMicroseconds;
            }
        }

        Array.Sort(floor);
        Array.Sort(pipeline);
        var (median, tenth) = (iterations / 2, iterations / 10);
        Console.WriteLine($"payload {bench.Payload} in pairs: floor median {floor[median]:F1} us (p10 {floor[tenth]:F1}), pipeline median {pipeline[median]:F1} us "
            + $"(p10 {pipeline[tenth]:F1}), ratio of medians {pipeline[median] / floor[median]:F2} (of p10s {pipeline[tenth] / floor[tenth]:F2})");
    }

    // From a cold start, the mean time of each block of calls: how long tiered compilation takes to settle.
    private static void Series(PipelineBenchmarks bench, int iterations)
    {
        var block = Math.Max(1, iterations / 30);
        var started = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i += block)
        {
            var clock = Stopwatch.StartNew();
            for (var j = 0; j < block; j++)
            {
                bench.Pipeline();
            }

            Console.WriteLine($"calls {i,6}-{i + block - 1,6} at {started.Elapsed.TotalSeconds,5:F1} s: {clock.Elapsed.TotalMicroseconds / block,9:F1} us per call");
        }
    }

    // CPU time as well as wall time: on a shared machine the wall clock also counts the time spent waiting for a core.
    private static (double Micros, double CpuMicros, double Bytes) Measure(Func<int> action, int iterations)
    {
        for (var i = 0; i < Math.Max(50, iterations / 5); i++)
        {
            action();
        }

        var process = Process.GetCurrentProcess();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        var wall = clock.Elapsed;
        process.Refresh();
        return (wall.TotalMicroseconds / iterations, (process.TotalProcessorTime - cpu).TotalMicroseconds / iterations,
            (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)iterations);
    }
}
