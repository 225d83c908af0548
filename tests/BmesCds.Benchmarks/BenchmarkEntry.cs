using BenchmarkDotNet.Running;

namespace BmesCds.Benchmarks;

/// <summary>
/// Entry point (not top-level statements: the host's `Program` type is referenced by the benchmarks).
/// `-- validator [n]` runs the validator cold-start measurement; anything else goes to BenchmarkDotNet.
/// </summary>
public static class BenchmarkEntry
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "validator")
        {
            ValidatorMeasurement.Run(args[1..]);
            return;
        }

        switch (args.Length > 0 ? args[0] : string.Empty)
        {
            case "quick":
                QuickProfile.Run(args[1..]);
                return;
            case "stages":
                StageAllocations.Run(args[1..]);
                return;
            case "floor-server":
                FloorServer.Run(args[1..]);
                return;
            case "payloads":
                Payloads.Write(args[1..]);
                return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
    }
}
