using System.Text;
using System.Text.Json.Nodes;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// Replaces one value by a value of another JSON type. The n-th input of this kind takes the n-th (path shape, type)
/// pair, so a run of a few thousand gives every shape of every seed each of the six types.
/// </summary>
public sealed class TypeSwap(IReadOnlyList<FuzzSeed> seeds, PathCatalogue paths, int offset) : IMutation
{
    /// <summary>The JSON types a value is swapped for.</summary>
    public enum JsonType
    {
        String,
        Number,
        Boolean,
        Null,
        Object,
        Array,
    }

    private static readonly JsonType[] Types = Enum.GetValues<JsonType>();

    // Numbers as raw text: some have no double (1e400), some lose digits, -0 and exponents test number parsing.
    private static readonly string[] Numbers = ["0", "-1", "1.5", "1e400", "-0", "123456789012345678901234567890", "1E-400", "2147483648", "-9.99e+307"];

    private static readonly string[] Strings = ["fuzz", "", "0", "true", "null", "2026-11-28"];

    public MutationKind Kind => MutationKind.TypeSwap;

    public Mutated Apply(int ordinal, Random random)
    {
        var pair = (ordinal + offset) % (paths.Shapes.Count * Types.Length);
        var shape = paths.Shapes[pair / Types.Length];
        var type = Types[pair % Types.Length];
        var (seed, at) = paths.Holder(shape, random);
        var work = Workpiece.Of(seeds[seed]);
        var location = work.Locations[at];
        var (raw, described) = Replacement(type, location.Value, random);
        if (location.IsRoot)
        {
            return new Mutated(work.Seed, $"$ -> {described}", Encoding.UTF8.GetBytes(raw));
        }

        location.Replace(RawSplice.Marker);
        return new Mutated(work.Seed, $"{location.Path} -> {described}", RawSplice.ReplaceValue(work.Json, Encoding.UTF8.GetBytes(raw)));
    }

    /// <summary>The replacement as raw JSON text, and how a failure report names it.</summary>
    private static (string Raw, string Described) Replacement(JsonType type, JsonNode? original, Random random)
    {
        string raw = type switch
        {
            JsonType.String => Quote(Strings[random.Next(Strings.Length)]),
            JsonType.Number => Numbers[random.Next(Numbers.Length)],
            JsonType.Boolean => random.Next(2) == 0 ? "true" : "false",
            JsonType.Null => "null",
            JsonType.Object => random.Next(3) switch
            {
                0 => "{}",
                1 => $"{{\"value\":{Text(original)}}}",
                _ => "{\"resourceType\":\"Bundle\"}",
            },
            _ => random.Next(2) == 0 ? "[]" : $"[{Text(original)}]",
        };
        return (raw, $"{type.ToString().ToLowerInvariant()} {Shorten(raw)}");
    }

    private static string Text(JsonNode? node) => Encoding.UTF8.GetString(RawSplice.Write(node));

    private static string Quote(string text) => JsonValue.Create(text).ToJsonString();

    private static string Shorten(string raw) => raw.Length <= 60 ? raw : raw[..60] + "...";
}
