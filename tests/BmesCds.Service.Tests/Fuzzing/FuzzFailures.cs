using System.Collections.Concurrent;
using System.Text;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// The inputs whose answers were wrong: each named with what replays it (seed, index, mutation), its body written to a
/// file (the first <see cref="KeptBodies"/>), attached to the test results, so the failure can be looked at and replayed.
/// </summary>
public sealed class FuzzFailures(FuzzSettings settings)
{
    private const int KeptBodies = 25;

    private readonly ConcurrentQueue<string> _reports = new();
    private int _count;

    public int Count => _count;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"bmes-fuzz-failures-{settings.Seed}");

    public void Add(FuzzInput input, string problem, int? status, string answer)
    {
        var number = Interlocked.Increment(ref _count);
        var report = new StringBuilder()
            .AppendLine($"seed {settings.Seed}, {input.Describe()}")
            .AppendLine($"  problem: {problem}")
            .AppendLine($"  answer{(status is null ? string.Empty : $" {status}")}: {Shorten(answer)}")
            .AppendLine($"  replay: {settings.ReplayCommand(input.Index)}");
        if (number <= KeptBodies)
        {
            Directory.CreateDirectory(Folder);
            var body = Path.Combine(Folder, $"input-{input.Index}.body");
            File.WriteAllBytes(body, input.Body);
            File.WriteAllText(Path.Combine(Folder, $"input-{input.Index}.txt"), report + answer);
            TestContext.AddTestAttachment(body, $"fuzz input {input.Index}");
            report.AppendLine($"  body: {body}");
        }

        _reports.Enqueue(report.ToString());
    }

    /// <summary>The first failures in full, and how many there were in all.</summary>
    public string Report() =>
        $"{_count} wrong answers (bodies in {Folder}); the first ones:\n" + string.Join('\n', _reports.Take(10));

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "...";
}
