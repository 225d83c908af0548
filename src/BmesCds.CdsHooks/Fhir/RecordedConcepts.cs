using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BmesCds.CdsHooks.Json;
using BmesCds.Clinical.Findings;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// The codings and texts of one resource's coded elements (<see cref="RecordInterest.CodedElements"/>), recorded as
/// byte ranges of the body while the walk passes them, so that the relevance questions read them without tokenizing
/// the element a second time (<see cref="JsonResourceView"/>).
/// </summary>
/// <remarks>
/// What is recorded is what the questions read, and nothing else:
/// - a coding: an object of a concept's `coding` array with a string `system` and a string `code` (the last of each
///   when repeated); the concept is the element itself, or each object of an array of them;
/// - a text: the `text` of a concept given as an object (not an array), and the `display` of each of its codings.
/// An element named twice counts once, as its last occurrence. Strings are recorded as written: the content between
/// the quotes, or, when it holds escapes, the whole token, quotes included, so that it can be unescaped.
/// A plain struct, a local of the walk's frame with room for a few codings and texts inside it (no span of stack memory
/// is handed between the walk's methods); a resource with more borrows pooled arrays, which <see cref="ReturnBuffers"/>
/// gives back.
/// </remarks>
internal struct RecordedConcepts
{
    /// <summary>Ints per recorded coding: system start and length, code start and length.</summary>
    public const int CodingWidth = 4;

    /// <summary>Ints per recorded text: start and length.</summary>
    public const int TextWidth = 2;

    /// <summary>Most coded elements a resource may have (<see cref="RecordInterest.CodedElements"/>).</summary>
    public const int MaxElements = 8;

    // Per element: first and end coding, first and end text.
    private const int SegmentWidth = 4;

    // Room inside the struct (zeroed with the walk's frame for every resource, so kept small): a resource rarely has
    // more than a few codings and texts in its coded elements.
    private const int InlineCodings = 8;
    private const int InlineTexts = 8;

    private Segments _segments;
    private CodingSlots _codingSlots;
    private TextSlots _textSlots;
    private int[]? _rentedCodings;
    private int[]? _rentedTexts;
    private int _codingCount;
    private int _textCount;

    /// <summary>The element's codings, <see cref="CodingWidth"/> ints each; empty when it is absent or has none.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<int> Codings(int element) =>
        CodingBuffer[(_segments[element * SegmentWidth] * CodingWidth)..(_segments[(element * SegmentWidth) + 1] * CodingWidth)];

    /// <summary>The element's text and displays, <see cref="TextWidth"/> ints each; empty when it has none.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<int> Texts(int element) =>
        TextBuffer[(_segments[(element * SegmentWidth) + 2] * TextWidth)..(_segments[(element * SegmentWidth) + 3] * TextWidth)];

    [UnscopedRef]
    private readonly ReadOnlySpan<int> CodingBuffer => _rentedCodings ?? (ReadOnlySpan<int>)_codingSlots;

    [UnscopedRef]
    private readonly ReadOnlySpan<int> TextBuffer => _rentedTexts ?? (ReadOnlySpan<int>)_textSlots;

    /// <summary>Reads the value at the reader (coded element number <paramref name="element"/>), recording it.</summary>
    /// <remarks>Not inlined: its locals would join the frame the walk sets up (and zeroes) for every object.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Record(ref LimitedJsonReader reader, int element)
    {
        var segment = element * SegmentWidth;
        _segments[segment] = _codingCount;
        _segments[segment + 2] = _textCount;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                ReadConcept(ref reader, withTexts: true);
                break;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadConcept(ref reader, withTexts: false);
                    }
                    else
                    {
                        reader.SkipValue();
                    }
                }

                break;
            default:
                reader.SkipValue();
                break;
        }

        _segments[segment + 1] = _codingCount;
        _segments[segment + 3] = _textCount;
    }

    /// <summary>Gives the pooled arrays back (a walk that throws leaves them to the collector).</summary>
    public void ReturnBuffers()
    {
        if (_rentedCodings is not null)
        {
            ArrayPool<int>.Shared.Return(_rentedCodings);
            _rentedCodings = null;
        }

        if (_rentedTexts is not null)
        {
            ArrayPool<int>.Shared.Return(_rentedTexts);
            _rentedTexts = null;
        }
    }

    // Reader at a concept's StartObject.
    private void ReadConcept(ref LimitedJsonReader reader, bool withTexts)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var part = ConceptPartOf(ref reader, withTexts);
            if (part == Part.Coding)
            {
                reader.Next();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    ReadCodings(ref reader, withTexts);
                }
                else
                {
                    reader.SkipValue();
                }
            }
            else if (part == Part.Text)
            {
                reader.Next();
                if (reader.TokenType == JsonTokenType.String)
                {
                    AddText(ref reader);
                }
                else
                {
                    reader.SkipValue();
                }
            }
            else
            {
                reader.Next();
                reader.SkipValue();
            }
        }
    }

    // Reader at a coding array's StartArray.
    private void ReadCodings(ref LimitedJsonReader reader, bool withTexts)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.SkipValue();
                continue;
            }

            int systemStart = 0, systemLength = -1, codeStart = 0, codeLength = -1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var part = CodingPartOf(ref reader, withTexts);
                reader.Next();
                if (part == Part.Other || reader.TokenType != JsonTokenType.String)
                {
                    reader.SkipValue();
                }
                else if (part == Part.System)
                {
                    (systemStart, systemLength) = Raw(ref reader);
                }
                else if (part == Part.Code)
                {
                    (codeStart, codeLength) = Raw(ref reader);
                }
                else
                {
                    AddText(ref reader);
                }
            }

            if (systemLength >= 0 && codeLength >= 0)
            {
                AddCoding(systemStart, systemLength, codeStart, codeLength);
            }
        }
    }

    private enum Part
    {
        Other,
        Coding,
        Text,
        System,
        Code,
        Display,
    }

    // Which member of a concept the property name at the reader is: coding, or text (read only when texts are): told
    // apart by length first, as the walk tells a resource's members apart; escaped names are compared in full.
    private static Part ConceptPartOf(ref LimitedJsonReader reader, bool withTexts)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.Is("coding"u8) ? Part.Coding : withTexts && reader.Is("text"u8) ? Part.Text : Part.Other;
        }

        var name = reader.ValueSpan;
        return name.Length switch
        {
            6 when name.SequenceEqual("coding"u8) => Part.Coding,
            4 when withTexts && name.SequenceEqual("text"u8) => Part.Text,
            _ => Part.Other,
        };
    }

    // Which member of a coding the property name at the reader is: system, code, or display (read only when texts are).
    private static Part CodingPartOf(ref LimitedJsonReader reader, bool withTexts)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.Is("system"u8) ? Part.System : reader.Is("code"u8) ? Part.Code : withTexts && reader.Is("display"u8) ? Part.Display : Part.Other;
        }

        var name = reader.ValueSpan;
        return name.Length switch
        {
            6 when name.SequenceEqual("system"u8) => Part.System,
            4 when name.SequenceEqual("code"u8) => Part.Code,
            7 when withTexts && name.SequenceEqual("display"u8) => Part.Display,
            _ => Part.Other,
        };
    }

    // A string token as written: the content between the quotes, or the whole token when it holds escapes.
    private static (int Start, int Length) Raw(ref LimitedJsonReader reader) =>
        reader.ValueIsEscaped ? (reader.TokenStart, reader.ValueSpan.Length + 2) : (reader.TokenStart + 1, reader.ValueSpan.Length);

    private void AddCoding(int systemStart, int systemLength, int codeStart, int codeLength)
    {
        var at = _codingCount * CodingWidth;
        Span<int> buffer = _rentedCodings ?? (Span<int>)_codingSlots;
        if (at + CodingWidth > buffer.Length)
        {
            _rentedCodings = Grow(buffer, _rentedCodings);
            buffer = _rentedCodings;
        }

        buffer[at] = systemStart;
        buffer[at + 1] = systemLength;
        buffer[at + 2] = codeStart;
        buffer[at + 3] = codeLength;
        _codingCount++;
    }

    private void AddText(ref LimitedJsonReader reader)
    {
        var at = _textCount * TextWidth;
        Span<int> buffer = _rentedTexts ?? (Span<int>)_textSlots;
        if (at + TextWidth > buffer.Length)
        {
            _rentedTexts = Grow(buffer, _rentedTexts);
            buffer = _rentedTexts;
        }

        (buffer[at], buffer[at + 1]) = Raw(ref reader);
        _textCount++;
    }

    // A pooled array twice as large, holding what the full buffer held; the previous pooled one goes back.
    private static int[] Grow(ReadOnlySpan<int> full, int[]? rented)
    {
        var larger = ArrayPool<int>.Shared.Rent(full.Length * 2);
        full.CopyTo(larger);
        if (rented is not null)
        {
            ArrayPool<int>.Shared.Return(rented);
        }

        return larger;
    }

    [InlineArray(MaxElements * SegmentWidth)]
    private struct Segments
    {
        private int _first;
    }

    [InlineArray(InlineCodings * CodingWidth)]
    private struct CodingSlots
    {
        private int _first;
    }

    [InlineArray(InlineTexts * TextWidth)]
    private struct TextSlots
    {
        private int _first;
    }
}
