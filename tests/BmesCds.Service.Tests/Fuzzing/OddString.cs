using System.Text;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>Replaces a string value or a property name by an awkward one (as raw, escaped JSON string content).</summary>
public sealed class OddString(IReadOnlyList<FuzzSeed> seeds, int maxStringBytes) : IMutation
{
    private static readonly string[] Texts =
    [
        "", "   ", "\\u0000", "a\\r\\nb", "\\t", "\\ud83d\\ude00", "😀", "\\u202e", "Ünïcödé", "\\u0041", "\\\\", "\\\"", "/",
        "Patient/", "ServiceRequest/", "-1", "NaN", "9999-99-99T99:99:99Z", "2026-02-30", "2026", "http://", "%00",
        "urn:uuid:", "#", "Bundle", "final", "entered-in-error",
    ];

    public MutationKind Kind => MutationKind.OddString;

    public Mutated Apply(int ordinal, Random random)
    {
        var target = StringTarget.Pick(seeds, random);
        target.Mark(random, insert: false);
        var (raw, described) = random.Next(40) switch
        {
            0 => (new string('a', maxStringBytes + 1), $"a string of {maxStringBytes + 1} bytes (over Requests:MaxStringBytes)"),
            1 or 2 => (new string('x', 10_000), "a string of 10,000 bytes"),
            _ => Listed(random),
        };
        return new Mutated(target.Work.Seed, target.Describe($"-> {described}"), RawSplice.ReplaceInString(target.Work.Json, Encoding.UTF8.GetBytes(raw)));
    }

    private static (string Raw, string Described) Listed(Random random)
    {
        var text = Texts[random.Next(Texts.Length)];
        return (text, $"\"{text}\"");
    }
}
