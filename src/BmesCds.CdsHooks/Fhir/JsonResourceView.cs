using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Terminology;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// <see cref="IResourceView"/> over a resource's raw JSON: the walk recorded the codings and texts of each coded element
/// of <see cref="RecordInterest.CodedElements"/> (<see cref="RecordedConcepts"/>) and which presence elements are there;
/// a question reads those recorded strings, never the element's JSON again. A coding counts when it has both a system
/// and a code (as before: a bare code says nothing reliable).
/// </summary>
public readonly ref struct JsonResourceView : IResourceView
{
    private const int StackChars = 256;

    private readonly ReadOnlySpan<byte> _json;
    private readonly ref readonly RecordedConcepts _concepts;
    private readonly int _presence;

    internal JsonResourceView(ReadOnlySpan<byte> json, ref readonly RecordedConcepts concepts, int presence)
    {
        _json = json;
        _concepts = ref concepts;
        _presence = presence;
    }

    public bool HasCoding(string element) => !_concepts.Codings(CodedIndex(element)).IsEmpty;

    // An absent element (most are) costs no buffer: the checks for emptiness come before any stackalloc.
    public bool AnyCodingIn(string element, CodeLookup codes)
    {
        var codings = _concepts.Codings(CodedIndex(element));
        if (codings.IsEmpty)
        {
            return false;
        }

        var inSet = new CodingInLookup(codes, stackalloc char[StackChars]);
        return Visit(codings, ref inSet);
    }

    public bool AnyCodeIn(string element, FrozenSet<string> codes)
    {
        var codings = _concepts.Codings(CodedIndex(element));
        if (codings.IsEmpty)
        {
            return false;
        }

        var inSet = new CodeInSet(codes.GetAlternateLookup<ReadOnlySpan<char>>(), stackalloc char[StackChars]);
        return Visit(codings, ref inSet);
    }

    public bool AnyText(string element, TextTest test)
    {
        var texts = _concepts.Texts(CodedIndex(element));
        if (texts.IsEmpty)
        {
            return false;
        }

        Span<char> chars = stackalloc char[StackChars];
        for (var i = 0; i < texts.Length; i += RecordedConcepts.TextWidth)
        {
            var raw = _json.Slice(texts[i], texts[i + 1]);
            var count = Decode(raw, chars);
            if (count >= 0 ? test(chars[..count]) : test(Text(raw)))
            {
                return true;
            }
        }

        return false;
    }

    public bool Has(string element)
    {
        var index = IndexOf(PresenceNames, element);
        return index >= 0 && (_presence & (1 << index)) != 0;
    }

    /// <summary>Tells the visitor each coding (system and code as recorded) of the element, until it says "found".</summary>
    internal bool Visit<TVisitor>(string element, ref TVisitor visitor)
        where TVisitor : ICodingVisitor, allows ref struct => Visit(_concepts.Codings(CodedIndex(element)), ref visitor);

    private bool Visit<TVisitor>(ReadOnlySpan<int> codings, ref TVisitor visitor)
        where TVisitor : ICodingVisitor, allows ref struct
    {
        for (var i = 0; i < codings.Length; i += RecordedConcepts.CodingWidth)
        {
            if (visitor.Visit(_json.Slice(codings[i], codings[i + 1]), _json.Slice(codings[i + 2], codings[i + 3])))
            {
                return true;
            }
        }

        return false;
    }

    private static int CodedIndex(string element)
    {
        var index = IndexOf(CodedNames, element);
        return index >= 0 ? index : throw new ArgumentException($"'{element}' is not one of RecordInterest.CodedElements", nameof(element));
    }

    // Arrays rather than the declared lists: asked for every question, they should cost no interface call. The names
    // the questions pass are the declared strings themselves, so a reference comparison answers first.
    private static readonly string[] CodedNames = [.. RecordInterest.CodedElements];
    private static readonly string[] PresenceNames = [.. RecordInterest.PresenceElements];

    private static int IndexOf(string[] names, string name)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (ReferenceEquals(names[i], name))
            {
                return i;
            }
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    // The chars of a recorded string, or -1 when they do not fit. An escaped one (quotes included) is unescaped.
    private static int Decode(ReadOnlySpan<byte> raw, Span<char> into)
    {
        if (raw.IsEmpty || raw[0] != (byte)'"')
        {
            return Encoding.UTF8.TryGetChars(raw, into, out var written) ? written : -1;
        }

        var reader = new Utf8JsonReader(raw);
        reader.Read();
        if (reader.ValueSpan.Length <= into.Length)
        {
            // Unescaping never makes a string longer.
            return reader.CopyString(into);
        }

        var text = reader.GetString()!;
        if (text.Length > into.Length)
        {
            return -1;
        }

        text.AsSpan().CopyTo(into);
        return text.Length;
    }

    // A recorded string too long for the stack buffer.
    private static string Text(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty || raw[0] != (byte)'"')
        {
            return Encoding.UTF8.GetString(raw);
        }

        var reader = new Utf8JsonReader(raw);
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>Told each coding (system and code as recorded) of a concept element; returns true to stop with "found".</summary>
    internal interface ICodingVisitor
    {
        bool Visit(ReadOnlySpan<byte> system, ReadOnlySpan<byte> code);
    }

    private readonly ref struct CodingInLookup(CodeLookup codes, Span<char> code) : ICodingVisitor
    {
        private readonly Span<char> _code = code;

        // The code first: most codings are turned away by it, without decoding their system (nor making room for it).
        public bool Visit(ReadOnlySpan<byte> system, ReadOnlySpan<byte> code)
        {
            if (Decode(code, _code) is not (var c and >= 0) || !codes.MayContain(_code[..c]))
            {
                return false;
            }

            Span<char> systemChars = stackalloc char[StackChars];
            return Decode(system, systemChars) is var s and >= 0 && codes.Contains(systemChars[..s], _code[..c]);
        }
    }

    private readonly ref struct CodeInSet(FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> codes, Span<char> code) : ICodingVisitor
    {
        private readonly Span<char> _code = code;

        public bool Visit(ReadOnlySpan<byte> system, ReadOnlySpan<byte> code) =>
            Decode(code, _code) is var c and >= 0 && codes.Contains(((ReadOnlySpan<char>)_code[..c]).Trim());
    }
}
