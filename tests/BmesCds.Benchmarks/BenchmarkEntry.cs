using BenchmarkDotNet.Running;

namespace BmesCds.Benchmarks;

/// <summary>Entry point (not top-level statements: the host's `Program` type is referenced by the benchmarks).</summary>
public static class BenchmarkEntry
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
}
