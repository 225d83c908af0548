using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using BmesCds.CdsHooks.Fhir;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Terminology;

namespace BmesCds.CdsHooks.Tests.Fhir;

/// <summary>
/// The relevance view as it was before the walk recorded codings (main at 4963f8e): each question re-reads the coded
/// element's JSON with a fresh reader. Kept here as the reference that <see cref="JsonResourceView"/>'s answers are
/// compared with (<see cref="RecordedConceptsTests"/>); <see cref="Of"/> finds the elements as the old walk did.
/// </summary>
internal readonly ref struct ReferenceResourceView : IResourceView
{
    private const int StackChars = 256;

    private readonly ReadOnlySpan<byte> _json;
    private readonly ReadOnlySpan<int> _ranges;
    private readonly int _presence;

    public ReferenceResourceView(ReadOnlySpan<byte> json, ReadOnlySpan<int> ranges, int presence)
    {
        _json = json;
        _ranges = ranges;
        _presence = presence;
    }

    /// <summary>Tells the visitor each coding of the element, as the old questions did.</summary>
    public bool Visit<TVisitor>(string element, ref TVisitor visitor)
        where TVisitor : JsonResourceView.ICodingVisitor, allows ref struct => Visit(Range(element), ref visitor);

    /// <summary>The coded elements' ranges (the last occurrence of each) and the presence bits of a resource, as the old walk found them.</summary>
    public static (int[] Ranges, int Presence) Of(ReadOnlySpan<byte> resource)
    {
        var ranges = Enumerable.Repeat(-1, RecordInterest.CodedElements.Count * 2).ToArray();
        var presence = 0;
        var reader = new Utf8JsonReader(resource);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var coded = IndexWhere(RecordInterest.CodedElements, ref reader);
            var present = IndexWhere(RecordInterest.PresenceElements, ref reader);
            reader.Read();
            if (coded >= 0)
            {
                ranges[coded * 2] = (int)reader.TokenStartIndex;
                reader.Skip();
                ranges[(coded * 2) + 1] = (int)reader.BytesConsumed;
            }
            else
            {
                presence |= present >= 0 && reader.TokenType != JsonTokenType.Null ? 1 << present : 0;
                reader.Skip();
            }
        }

        return (ranges, presence);
    }

    private static int IndexWhere(IReadOnlyList<string> names, ref Utf8JsonReader reader)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public bool HasCoding(string element)
    {
        var any = new AnyCoding();
        return Visit(Range(element), ref any);
    }

    public bool AnyCodingIn(string element, CodeLookup codes)
    {
        var inSet = new CodingInLookup(codes, stackalloc char[StackChars], stackalloc char[StackChars]);
        return Visit(Range(element), ref inSet);
    }

    public bool AnyCodeIn(string element, FrozenSet<string> codes)
    {
        var inSet = new CodeInSet(codes.GetAlternateLookup<ReadOnlySpan<char>>(), stackalloc char[StackChars]);
        return Visit(Range(element), ref inSet);
    }

    public bool AnyText(string element, TextTest test)
    {
        var value = Range(element);
        if (value.IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(value);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        Span<char> chars = stackalloc char[StackChars];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && Passes(ref reader, value, chars, test))
                {
                    return true;
                }

                reader.Skip();
            }
            else if (reader.ValueTextEquals("coding"u8))
            {
                reader.Read();
                if (AnyDisplay(ref reader, value, chars, test))
                {
                    return true;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return false;
    }

    // A string token's text passes the test (texts longer than the stack buffer are decoded into a heap one).
    private static bool Passes(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> json, scoped Span<char> chars, TextTest test)
    {
        var raw = Raw(ref reader, json);
        var count = Decode(raw, chars);
        if (count >= 0)
        {
            return test(chars[..count]);
        }

        return reader.GetString() is { } text && test(text);
    }

    private static bool AnyDisplay(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> json, scoped Span<char> chars, TextTest test)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isDisplay = reader.ValueTextEquals("display"u8);
                reader.Read();
                if (isDisplay && reader.TokenType == JsonTokenType.String && Passes(ref reader, json, chars, test))
                {
                    return true;
                }

                reader.Skip();
            }
        }

        return false;
    }

    public bool Has(string element)
    {
        var index = IndexOf(RecordInterest.PresenceElements, element);
        return index >= 0 && (_presence & (1 << index)) != 0;
    }

    // The element's JSON, or empty when absent.
    private ReadOnlySpan<byte> Range(string element)
    {
        var index = IndexOf(RecordInterest.CodedElements, element);
        if (index < 0)
        {
            throw new ArgumentException($"'{element}' is not one of RecordInterest.CodedElements", nameof(element));
        }

        var start = _ranges[index * 2];
        return start < 0 ? default : _json[start.._ranges[(index * 2) + 1]];
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    // A JSON string token as written, quotes included when it holds escapes (so that it can be unescaped).
    private static ReadOnlySpan<byte> Raw(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> json) =>
        reader.ValueIsEscaped
            ? json.Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2)
            : json.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);

    // The chars of a string token from Raw, or -1 when it does not fit.
    private static int Decode(ReadOnlySpan<byte> raw, Span<char> into)
    {
        if (raw.IsEmpty || raw[0] != (byte)'"')
        {
            return Encoding.UTF8.GetCharCount(raw) <= into.Length ? Encoding.UTF8.GetChars(raw, into) : -1;
        }

        var text = JsonSerializer.Deserialize<string>(raw);
        if (text is null || text.Length > into.Length)
        {
            return -1;
        }

        text.AsSpan().CopyTo(into);
        return text.Length;
    }

    private readonly ref struct AnyCoding : JsonResourceView.ICodingVisitor
    {
        public bool Visit(ReadOnlySpan<byte> system, ReadOnlySpan<byte> code) => true;
    }

    private readonly ref struct CodingInLookup(CodeLookup codes, Span<char> system, Span<char> code) : JsonResourceView.ICodingVisitor
    {
        private readonly Span<char> _system = system;
        private readonly Span<char> _code = code;

        public bool Visit(ReadOnlySpan<byte> system, ReadOnlySpan<byte> code) =>
            Decode(system, _system) is var s and >= 0 && Decode(code, _code) is var c and >= 0 && codes.Contains(_system[..s], _code[..c]);
    }

    private readonly ref struct CodeInSet(FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> codes, Span<char> code) : JsonResourceView.ICodingVisitor
    {
        private readonly Span<char> _code = code;

        public bool Visit(ReadOnlySpan<byte> system, ReadOnlySpan<byte> code) =>
            Decode(code, _code) is var c and >= 0 && codes.Contains(((ReadOnlySpan<char>)_code[..c]).Trim());
    }

    // A CodeableConcept or an array of them: each coding with a string system and code goes to the visitor.
    private static bool Visit<TVisitor>(ReadOnlySpan<byte> json, ref TVisitor visitor)
        where TVisitor : JsonResourceView.ICodingVisitor, allows ref struct
    {
        if (json.IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(json);
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return VisitConcept(ref reader, json, ref visitor);
        }

        if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    if (VisitConcept(ref reader, json, ref visitor))
                    {
                        return true;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return false;
    }

    private static bool VisitConcept<TVisitor>(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref TVisitor visitor)
        where TVisitor : JsonResourceView.ICodingVisitor, allows ref struct
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isCoding = reader.ValueTextEquals("coding"u8);
            reader.Read();
            if (!isCoding || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                ReadOnlySpan<byte> system = default, code = default;
                bool hasSystem = false, hasCode = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var which = reader.ValueTextEquals("system"u8) ? 1 : reader.ValueTextEquals("code"u8) ? 2 : 0;
                    reader.Read();
                    if (which == 1 && reader.TokenType == JsonTokenType.String)
                    {
                        system = Raw(ref reader, json);
                        hasSystem = true;
                    }
                    else if (which == 2 && reader.TokenType == JsonTokenType.String)
                    {
                        code = Raw(ref reader, json);
                        hasCode = true;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                if (hasSystem && hasCode && visitor.Visit(system, code))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
