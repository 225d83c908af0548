using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>Gives a property of some object a second time, before or after the first, with the same value or another.</summary>
public sealed class DuplicateKey(IReadOnlyList<FuzzSeed> seeds) : IMutation
{
    public MutationKind Kind => MutationKind.DuplicateKey;

    public Mutated Apply(int ordinal, Random random)
    {
        var work = Workpiece.OfAny(seeds, random);
        var location = work.Pick(random, location => location.Property is not null)!;
        var parent = (JsonObject)location.Parent!;
        var (value, described) = random.Next(3) switch
        {
            0 => (location.Value?.DeepClone(), "the same value"),
            1 => ((JsonNode?)null, "null"),
            _ => (JsonValue.Create("fuzz"), "\"fuzz\""),
        };
        var index = parent.IndexOf(location.Property!);
        var after = random.Next(2) == 0;
        parent.Insert(after ? index + 1 : index, RawSplice.Marker, value);

        // The marker is the second name; in the bytes it becomes the first one's name, as JSON spells it.
        var name = JsonEncodedText.Encode(location.Property!, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
        return new Mutated(work.Seed, $"{location.Path} given again {(after ? "after" : "before")} itself, with {described}", RawSplice.ReplaceInString(work.Json, name));
    }
}
