using System.Runtime.CompilerServices;
using System.Text;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// A fixed set of names, each with a value, looked up from unescaped UTF-8 bytes without decoding them: the names are
/// grouped by byte length, and within a group the first byte turns most names away before a comparison. The walk asks
/// it for every member name and every resourceType of a request, and the POCO reader for every element, so a lookup
/// compares with a handful of names at most instead of all of them.
/// </summary>
internal sealed class Utf8NameTable<TValue>
{
    private readonly Entry[][] _byLength;
    private readonly (byte[] Utf8, TValue Value)[] _all;

    public Utf8NameTable(IEnumerable<(string Name, TValue Value)> names)
    {
        var entries = names.Select(pair => new Entry(Encoding.UTF8.GetBytes(pair.Name), pair.Value)).ToList();
        var duplicate = entries.GroupBy(entry => Encoding.UTF8.GetString(entry.Utf8)).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The name '{duplicate.Key}' is given twice.", nameof(names));
        }

        var longest = entries.Count == 0 ? 0 : entries.Max(entry => entry.Utf8.Length);
        _byLength = [.. Enumerable.Range(0, longest + 1).Select(length => entries.Where(entry => entry.Utf8.Length == length).ToArray())];
        _all = [.. entries.Select(entry => (entry.Utf8, entry.Value))];
    }

    public int Count => _all.Length;

    /// <summary>The value of the name spelled by <paramref name="utf8"/> (unescaped), if it is one of the table's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(ReadOnlySpan<byte> utf8, out TValue value)
    {
        if (!utf8.IsEmpty && (uint)utf8.Length < (uint)_byLength.Length)
        {
            foreach (var entry in _byLength[utf8.Length])
            {
                if (entry.Utf8[0] == utf8[0] && utf8.SequenceEqual(entry.Utf8))
                {
                    value = entry.Value;
                    return true;
                }
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Every name with its value, for names that arrive escaped (rare) and must be compared after unescaping.</summary>
    public IReadOnlyList<(byte[] Utf8, TValue Value)> All => _all;

    private readonly record struct Entry(byte[] Utf8, TValue Value);
}
