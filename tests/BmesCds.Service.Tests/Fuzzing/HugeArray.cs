using System.Text;
using System.Text.Json;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// Grows an array to many copies of one of its elements (or of a small stand-in): within the limits, at the limits of
/// draft orders and selections (500) and, for a Bundle's entries, of prefetch resources (10,000), just over them, and
/// past the body size. (Ten thousand copies of other arrays would only cost time: no limit counts them.)
/// </summary>
public sealed class HugeArray(IReadOnlyList<FuzzSeed> seeds, long maxBodyBytes) : IMutation
{
    private static readonly int[] Counts = [2, 10, 100, 499, 500, 501, 1_000, 2_000];

    private static readonly int[] EntryCounts = [.. Counts, 10_000, 10_001];

    private static readonly string[] StandIns = ["{}", "null", "\"x\"", "1", "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\"}}"];

    public MutationKind Kind => MutationKind.HugeArray;

    public Mutated Apply(int ordinal, Random random)
    {
        var work = Workpiece.OfAny(seeds, random);
        var location = work.Pick(random, location => location.Kind == JsonValueKind.Array && !location.IsRoot)!;
        var elements = location.Value!.AsArray();
        var element = elements.Count > 0 && random.Next(3) > 0
            ? RawSplice.Write(elements[random.Next(elements.Count)])
            : Encoding.UTF8.GetBytes(StandIns[random.Next(StandIns.Length)]);

        // One in fifty: enough copies to pass the body size, refused before the body is read.
        var counts = location.Shape.EndsWith(".entry", StringComparison.Ordinal) ? EntryCounts : Counts;
        var count = random.Next(50) == 0 ? (int)(maxBodyBytes / (element.Length + 1)) + 2 : counts[random.Next(counts.Length)];
        location.Replace(RawSplice.Marker);
        return new Mutated(work.Seed, $"{location.Path} -> {count} copies of a {element.Length}-byte element", RawSplice.ReplaceValue(work.Json, Repeated(element, count)));
    }

    private static byte[] Repeated(byte[] element, int count)
    {
        var raw = new byte[(count * (element.Length + 1)) + 1];
        raw[0] = (byte)'[';
        var at = 1;
        for (var i = 0; i < count; i++)
        {
            element.CopyTo(raw, at);
            at += element.Length;
            raw[at++] = (byte)(i == count - 1 ? ']' : ',');
        }

        return raw;
    }
}
