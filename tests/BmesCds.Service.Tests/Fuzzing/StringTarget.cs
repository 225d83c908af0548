using System.Text.Json;
using System.Text.Json.Nodes;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// Where text mutations write: a string value, or a property name, of a random seed. <see cref="Mark"/> puts the
/// marker there (for <see cref="RawSplice.ReplaceInString"/>), replacing the text or inserted into it.
/// </summary>
public sealed class StringTarget
{
    private readonly JsonLocation _location;
    private readonly bool _isName;

    private StringTarget(Workpiece work, JsonLocation location, bool isName)
    {
        Work = work;
        _location = location;
        _isName = isName;
    }

    public Workpiece Work { get; }

    /// <summary>A string value (three times in four) or a property name of a random seed.</summary>
    public static StringTarget Pick(IReadOnlyList<FuzzSeed> seeds, Random random)
    {
        var work = Workpiece.OfAny(seeds, random);
        var isName = random.Next(4) == 0;
        var location = isName
            ? work.Pick(random, location => location.Property is not null)
            : work.Pick(random, location => location.Kind == JsonValueKind.String);
        return location is null ? Pick(seeds, random) : new StringTarget(work, location, isName);
    }

    public string Describe(string what) => _isName ? $"property name {_location.Path} {what}" : $"{_location.Path} {what}";

    /// <summary>Puts the marker in place of the whole text (<paramref name="insert"/> false) or at a random position in it.</summary>
    public void Mark(Random random, bool insert)
    {
        var text = _isName ? _location.Property! : _location.Value!.GetValue<string>();
        var marked = RawSplice.Marker;
        if (insert)
        {
            var at = random.Next(text.Length + 1);

            // Never between the halves of a surrogate pair of the seed's own text.
            if (at > 0 && at < text.Length && char.IsLowSurrogate(text[at]))
            {
                at--;
            }

            marked = text[..at] + RawSplice.Marker + text[at..];
        }

        if (!_isName)
        {
            _location.Replace(marked);
            return;
        }

        var parent = (JsonObject)_location.Parent!;
        var index = parent.IndexOf(_location.Property!);
        var value = parent[_location.Property!];
        parent.RemoveAt(index);
        parent.Insert(index, marked, value);
    }
}
