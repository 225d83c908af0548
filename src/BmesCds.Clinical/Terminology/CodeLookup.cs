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

    // What follows each '|' of each key: every code that can complete a key (a system may hold a '|' itself).
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _codes;

    public CodeLookup(IEnumerable<ConceptSet> sets)
    {
        var keys = sets.SelectMany(set => set.Concepts).Select(concept => $"{concept.Key.System}|{concept.Key.Code}").ToList();
        _keys = keys.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _codes = keys
            .SelectMany(key => key.Select((c, i) => (c, i)).Where(pair => pair.c == '|').Select(pair => key[(pair.i + 1)..]))
            .ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// False when no system makes (system, code) one of the sets: most codings a record holds are answered from their
    /// code alone, before their system is decoded. True says nothing; <see cref="Contains"/> decides.
    /// </summary>
    public bool MayContain(ReadOnlySpan<char> code) => _codes.Contains(code.Trim());

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
