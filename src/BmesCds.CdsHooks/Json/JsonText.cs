using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using BmesCds.CdsHooks.Requests;

namespace BmesCds.CdsHooks.Json;

/// <summary>
/// The door check for text: every string and property name of a body must be valid UTF-8, and its \u escapes must
/// not leave a lone UTF-16 surrogate. System.Text.Json parses such text and fails only when a string is read, which
/// could be anywhere later; checking the whole body up front costs a vectorised pass, and only a refused body pays
/// for finding the field to name.
/// </summary>
public static class JsonText
{
    /// <summary>Null when the body's text is sound; else a 400 naming the first field with broken text.</summary>
    public static ProtocolError? Check(ReadOnlySpan<byte> body, int maxDepth)
    {
        if (Utf8.IsValid(body) && !HasLoneSurrogateEscape(body))
        {
            return null;
        }

        return new ProtocolError(Locate(body, maxDepth), "holds text that is not valid UTF-8 or has a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair)");
    }

    /// <summary>Whether a \uXXXX escape in the body is a surrogate without its other half.</summary>
    public static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> text)
    {
        var offset = 0;
        while (true)
        {
            var found = text[offset..].IndexOf("\\u"u8);
            if (found < 0)
            {
                return false;
            }

            var at = offset + found;
            offset = at + 2;
            if (IsEscaped(text, at) || !TryHex(text, at + 2, out var unit))
            {
                continue;
            }

            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return true;
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (!(at + 11 < text.Length && text[at + 6] == '\\' && text[at + 7] == 'u'
                    && TryHex(text, at + 8, out var low) && low is >= 0xDC00 and <= 0xDFFF))
                {
                    return true;
                }

                offset = at + 12;
            }
        }
    }

    // "\\u0041" is an escaped backslash followed by "u0041", not an escape: count the backslashes before.
    private static bool IsEscaped(ReadOnlySpan<byte> text, int backslash)
    {
        var count = 0;
        for (var i = backslash - 1; i >= 0 && text[i] == '\\'; i--)
        {
            count++;
        }

        return count % 2 == 1;
    }

    private static bool TryHex(ReadOnlySpan<byte> text, int start, out int value)
    {
        value = 0;
        if (start + 4 > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + 4; i++)
        {
            var digit = HexDigit(text[i]);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    private static int HexDigit(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>The path of the first string or property name with broken text (the refused body's slow path).</summary>
    private static string Locate(ReadOnlySpan<byte> body, int maxDepth)
    {
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth + 2 });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        if (!IsSound(ref reader))
                        {
                            frames[^1].Name = null;
                            return Describe(frames);
                        }

                        frames[^1].Name = reader.GetString();
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        Advance(frames);
                        break;
                    case JsonTokenType.String when !IsSound(ref reader):
                        return Describe(frames);
                    default:
                        Advance(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // The text is broken in a way the reader notices first: name where it stopped.
        }

        return Describe(frames);
    }

    // A value inside an array moves its index on.
    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1].Index++;
        }
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public int Index { get; set; }

        public string? Name { get; set; }
    }

    private static string Describe(List<Frame> frames)
    {
        var text = new System.Text.StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray)
            {
                text.Append('[').Append(frame.Index).Append(']');
            }
            else if (frame.Name is { } name)
            {
                text.Append(text.Length == 0 ? string.Empty : ".").Append(name);
            }
        }

        return text.ToString();
    }

    private static bool IsSound(ref Utf8JsonReader reader)
    {
        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
        if (!Utf8.IsValid(raw) || HasLoneSurrogateEscape(raw))
        {
            return false;
        }

        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Describe(List<object> path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var part in path)
        {
            switch (part)
            {
                case string name:
                    text.Append(text.Length == 0 ? string.Empty : ".").Append(name);
                    break;
                case int index when index >= 0:
                    text.Append('[').Append(index).Append(']');
                    break;
            }
        }

        return text.ToString();
    }
}
