using System.Collections.Concurrent;

namespace BmesCds.Clinical;

/// <summary>
/// A bounded memo of a pure reading of text (a report's text, an order's name). The same texts come back on every
/// call for a patient (order-select fires at each selection, with the same reports), and reading them is most of what
/// the engine allocates. Bounded in entries and key length; when full it starts again (no clock, no eviction order:
/// the readings are pure, so a miss only costs a re-read). Held in memory only, never logged.
/// </summary>
internal sealed class TextMemo<T>(Func<string, T> read, int capacity = TextMemo<T>.DefaultCapacity, int maxTextLength = TextMemo<T>.DefaultMaxTextLength)
{
    public const int DefaultCapacity = 4096;
    public const int DefaultMaxTextLength = 4096;

    private ConcurrentDictionary<string, T> _entries = new(StringComparer.Ordinal);
    private int _count;

    public T Get(string text)
    {
        if (text.Length > maxTextLength)
        {
            return read(text);
        }

        var entries = _entries;
        if (entries.TryGetValue(text, out var known))
        {
            return known;
        }

        var value = read(text);
        if (Interlocked.Increment(ref _count) > capacity)
        {
            // Start again rather than grow: a fresh dictionary, swapped in whole so readers never see a half-cleared one.
            _entries = new ConcurrentDictionary<string, T>(StringComparer.Ordinal);
            Interlocked.Exchange(ref _count, 0);
            return value;
        }

        entries.TryAdd(text, value);
        return value;
    }
}
