using System.Collections.Frozen;

namespace BmesCds.Clinical.Terminology;

/// <summary>
/// The union of some concept sets as "system|code" keys, answerable from character spans: the record's JSON walk asks
/// "is this coding one the rules read?" for hundreds of codings per hook call, and must not allocate a string each time.
/// </summary>
public sealed class CodeLookup
{
    private const int StackLimit = 256;

    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _keys;

    public CodeLookup(IEnumerable<ConceptSet> sets)
    {
        var keys = sets.SelectMany(set => set.Concepts).Select(concept => $"{concept.Key.System}|{concept.Key.Code}");
        _keys = keys.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Whether (system, code) is in one of the sets; the code is trimmed, as <see cref="CodeKey"/> trims it.</summary>
    public bool Contains(ReadOnlySpan<char> system, ReadOnlySpan<char> code)
    {
        code = code.Trim();
        if (system.IsEmpty || code.IsEmpty)
        {
            return false;
        }

        var length = system.Length + 1 + code.Length;
        Span<char> key = length <= StackLimit ? stackalloc char[StackLimit] : new char[length];
        system.CopyTo(key);
        key[system.Length] = '|';
        code.CopyTo(key[(system.Length + 1)..]);
        return _keys.Contains(key[..length]);
    }
}
