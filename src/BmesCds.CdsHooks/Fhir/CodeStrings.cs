using System.Collections.Concurrent;
using System.Text.Json;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// One shared string for each code-like value a call reads (a coding's system, code and display, a status, a unit, a
/// prefetch key): the same few hundred values come in every call ("http://loinc.org", "final", "mg/L"), and each was a new
/// string per resource. Bounded: at most <see cref="Capacity"/> values of at most <see cref="MaxLength"/> characters;
/// when full, values are no longer added (nothing is evicted, so a value never changes). A pooled string is equal to
/// the one it replaces, so no answer can change. Held in memory only, never logged.
/// </summary>
internal static class CodeStrings
{
    public const int Capacity = 16_384;
    public const int MaxLength = 128;

    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ByChars =
        Pool.GetAlternateLookup<ReadOnlySpan<char>>();

    private static int _count;

    /// <summary>The string value at the reader (a JSON string token), from the pool when it is there.</summary>
    public static string Get(ref Utf8JsonReader reader)
    {
        // A value's UTF-8 length bounds its character count, escaped or not.
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxLength)
        {
            return reader.GetString()!;
        }

        Span<char> buffer = stackalloc char[MaxLength];
        return Pooled(buffer[..reader.CopyString(buffer)]);
    }

    /// <summary>The characters as a string, from the pool when it is there (at most <see cref="MaxLength"/> of them).</summary>
    public static string Get(ReadOnlySpan<char> chars) => chars.Length > MaxLength ? new string(chars) : Pooled(chars);

    private static string Pooled(ReadOnlySpan<char> chars)
    {
        if (ByChars.TryGetValue(chars, out var known))
        {
            return known;
        }

        var text = new string(chars);

        // A counter, not Pool.Count (which takes every lock of the dictionary); at worst a few over capacity.
        if (Volatile.Read(ref _count) < Capacity && Pool.TryAdd(text, text))
        {
            Interlocked.Increment(ref _count);
        }

        return text;
    }
}
