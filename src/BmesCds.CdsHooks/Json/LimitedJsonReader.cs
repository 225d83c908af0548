using System.Runtime.CompilerServices;
using System.Text.Json;
using BmesCds.CdsHooks.Requests;

namespace BmesCds.CdsHooks.Json;

/// <summary>
/// A <see cref="Utf8JsonReader"/> over a whole body that enforces the depth and string-length limits on every token it
/// reads, so that no part of a request escapes them, whichever code walks it.
/// </summary>
public ref struct LimitedJsonReader
{
    private Utf8JsonReader _reader;
    private readonly RequestLimits _limits;
    private readonly int _offset;

    // The limits as read once: Read runs for every token of a body, and should not follow a reference for them.
    private readonly int _maxDepth;
    private readonly int _maxStringBytes;

    public LimitedJsonReader(ReadOnlySpan<byte> json, RequestLimits limits)
        : this(json, 0, limits)
    {
    }

    // Reads json[offset..], reporting positions in json.
    private LimitedJsonReader(ReadOnlySpan<byte> json, int offset, RequestLimits limits)
    {
        // The reader's own limit is higher, so that ours is the one met, with our message.
        _reader = new Utf8JsonReader(json[offset..], new JsonReaderOptions { MaxDepth = limits.MaxJsonDepth + 2 });
        _limits = limits;
        _offset = offset;
        _maxDepth = limits.MaxJsonDepth;
        _maxStringBytes = limits.MaxStringBytes;
    }

    /// <summary>A reader with the same limits over <paramref name="json"/> from <paramref name="offset"/> on.</summary>
    public readonly LimitedJsonReader Over(ReadOnlySpan<byte> json, int offset) => new(json, offset, _limits);

    public readonly JsonTokenType TokenType => _reader.TokenType;

    public readonly ReadOnlySpan<byte> ValueSpan => _reader.ValueSpan;

    public readonly bool ValueIsEscaped => _reader.ValueIsEscaped;

    public readonly int TokenStart => _offset + (int)_reader.TokenStartIndex;

    public readonly int Consumed => _offset + (int)_reader.BytesConsumed;

    public readonly int CurrentDepth => _reader.CurrentDepth;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Read()
    {
        if (!_reader.Read())
        {
            return false;
        }

        Check();
        return true;
    }

    // The limits, on the token just read: inlined into every walk's loop, so it is kept to two tests (the refusals are
    // built elsewhere).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Check()
    {
        var type = _reader.TokenType;
        if (type is JsonTokenType.String or JsonTokenType.PropertyName)
        {
            if (_reader.ValueSpan.Length > _maxStringBytes)
            {
                throw TooLong(_maxStringBytes);
            }
        }
        else if (type is JsonTokenType.StartObject or JsonTokenType.StartArray && _reader.CurrentDepth >= _maxDepth)
        {
            // A container's own token is at the depth of its parent: what it opens is one level deeper.
            throw TooDeep(_maxDepth);
        }
    }

    private static RequestRefusedException TooDeep(int maxDepth) => new(new ProtocolError(
        string.Empty, $"the JSON nests deeper than {maxDepth} levels (setting Requests:MaxJsonDepth)", ProtocolErrorKind.TooLarge));

    private static RequestRefusedException TooLong(int maxStringBytes) => new(new ProtocolError(
        string.Empty, $"a JSON string is longer than {maxStringBytes} bytes (setting Requests:MaxStringBytes)", ProtocolErrorKind.TooLarge));

    /// <summary>Reads the next token, which must exist (the reader refuses truncated JSON by throwing).</summary>
    public void Next()
    {
        if (!Read())
        {
            throw new JsonException("The JSON ends too early.");
        }
    }

    /// <summary>Skips the value at the current token (a container's whole content), checking every token inside.</summary>
    public void SkipValue()
    {
        if (_reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        var depth = _reader.CurrentDepth;
        while (_reader.Read())
        {
            Check();
            if (_reader.CurrentDepth <= depth)
            {
                return;
            }
        }
    }

    /// <summary>The current property name or string equals <paramref name="utf8"/> (escapes handled).</summary>
    public readonly bool Is(ReadOnlySpan<byte> utf8) =>
        _reader.ValueIsEscaped ? _reader.ValueTextEquals(utf8) : _reader.ValueSpan.SequenceEqual(utf8);

    public readonly string? GetString() => _reader.GetString();

    /// <summary>The current string unescaped into <paramref name="destination"/> (checked as GetString checks it): its length.</summary>
    public readonly int CopyString(Span<char> destination) => _reader.CopyString(destination);
}
