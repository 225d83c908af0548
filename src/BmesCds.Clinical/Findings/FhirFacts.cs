using System.Globalization;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Findings;

/// <summary>A date read from a FHIR element: the date, or nothing, and whether something was there that could not be read.</summary>
internal readonly record struct DateRead(DateTimeOffset? Date, bool Unreadable)
{
    public static DateRead None => default;

    /// <summary>The first readable of the two; unreadable only when neither can be read and one was unreadable.</summary>
    public DateRead Or(DateRead other) =>
        Date is not null ? this : other.Date is not null ? other : new DateRead(null, Unreadable || other.Unreadable);
}

/// <summary>
/// Small, total readers of FHIR elements: dates, numbers, statuses and references, never throwing on odd data. The
/// lenient reader keeps a malformed literal as text (an instant "garbage", a decimal "abc") and Firely's typed
/// accessors throw on it, so values are read from the element's JSON value instead (BMES-RULES.md 7a, C7).
/// </summary>
internal static class FhirFacts
{
    private static readonly string[] PartialFormats = ["yyyy", "yyyy-MM", "yyyy-MM-dd"];

    /// <summary>A FHIR date or dateTime; a partial date ("2026", "2026-08") at its earliest instant, in UTC (C1).</summary>
    public static DateTimeOffset? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(value.Trim(), PartialFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var partial))
        {
            return partial;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var full) ? full : null;
    }

    public static DateRead ReadDate(string? value) =>
        string.IsNullOrWhiteSpace(value) ? DateRead.None
        : ParseDate(value) is { } date ? new DateRead(date, false)
        : new DateRead(null, true);

    public static DateRead ReadDate(DataType? value) => value switch
    {
        FhirDateTime dateTime => ReadDate(dateTime.Value),
        Period period => ReadDate(period.Start).Or(ReadDate(period.End)),
        Instant instant => ReadInstant(instant),
        Date date => ReadDate(date.Value),
        FhirString text => ReadDate(text.Value),
        _ => DateRead.None,
    };

    public static DateTimeOffset? DateOf(DataType? value) => ReadDate(value).Date;

    /// <summary>An instant without its throwing accessor: the JSON value is a string (or a DateTimeOffset in older models).</summary>
    public static DateRead ReadInstant(Instant? instant) => instant?.JsonValue switch
    {
        DateTimeOffset date => new DateRead(date, false),
        string text => ReadDate(text),
        null => DateRead.None,
        var other => ReadDate(Convert.ToString(other, CultureInfo.InvariantCulture)),
    };

    /// <summary>A decimal without its throwing accessor; unreadable when something is there that is not a number.</summary>
    public static (decimal? Value, bool Unreadable) ReadDecimal(FhirDecimal? element) => element?.JsonValue switch
    {
        null => (null, false),
        decimal number => (number, false),
        string text when decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => (number, false),
        IConvertible other when TryConvert(other) is { } number => (number, false),
        _ => (null, true),
    };

    private static decimal? TryConvert(IConvertible value)
    {
        try
        {
            return value.ToDecimal(CultureInfo.InvariantCulture);
        }
        catch (Exception failure) when (failure is FormatException or InvalidCastException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Inline base64 data without its throwing accessor; null when absent or not base64.</summary>
    public static byte[]? ReadBase64(Base64Binary? element, out bool unreadable)
    {
        unreadable = false;
        switch (element?.JsonValue)
        {
            case null:
                return null;
            case byte[] bytes:
                return bytes;
            case string text:
                var buffer = new byte[text.Length];
                if (Convert.TryFromBase64String(text.Trim(), buffer, out var written))
                {
                    return buffer[..written];
                }

                unreadable = true;
                return null;
            default:
                unreadable = true;
                return null;
        }
    }

    public static bool HasCode(CodeableConcept? concept, params ReadOnlySpan<string> codes)
    {
        if (concept is null)
        {
            return false;
        }

        foreach (var coding in concept.Coding)
        {
            if (coding.Code is not { } code)
            {
                continue;
            }

            foreach (var wanted in codes)
            {
                if (string.Equals(code, wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Refuted or entered-in-error: never a fact.</summary>
    public static bool IsRefuted(Condition condition) =>
        HasCode(condition.VerificationStatus, "refuted", "entered-in-error");

    /// <summary>Inactive, resolved or in remission (section 2).</summary>
    public static bool IsInactive(Condition condition) =>
        HasCode(condition.ClinicalStatus, "inactive", "resolved", "remission");

    public static DateRead ReadDate(Condition condition) =>
        ReadDate(condition.Onset).Or(ReadDate(condition.RecordedDate));

    public static DateTimeOffset? DateOf(Condition condition) => ReadDate(condition).Date;

    public static DateRead ReadDate(Observation observation) =>
        ReadDate(observation.Effective).Or(ReadInstant(observation.IssuedElement));

    public static DateTimeOffset? DateOf(Observation observation) => ReadDate(observation).Date;

    public static DateRead ReadDate(DiagnosticReport report) =>
        ReadDate(report.Effective).Or(ReadInstant(report.IssuedElement));

    /// <summary>"Type/id", or null when the resource has no id.</summary>
    public static string? ReferenceTo(Resource resource) =>
        string.IsNullOrEmpty(resource.Id) ? null : $"{resource.TypeName}/{resource.Id}";

    /// <summary>The "Type/id" tail of a reference, whether relative or absolute.</summary>
    public static string? Normalize(ResourceReference? reference) => Normalize(reference?.Reference);

    /// <summary>
    /// The "Type/id" tail of a reference: the last two '/'-separated segments, after trailing slashes and before a
    /// "_history" segment (unless the reference starts with one); the reference itself when it has fewer than two
    /// segments. Read on spans: a string is made only when the tail is not the whole reference.
    /// </summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var kept = value.AsSpan().TrimEnd('/');
        var start = 0;
        for (var segment = 0; start <= kept.Length; segment++)
        {
            var length = kept[start..].IndexOf('/');
            var end = length < 0 ? kept.Length : start + length;
            if (kept[start..end].SequenceEqual(History))
            {
                // The first "_history" ends the reference, unless it is the first segment.
                kept = segment > 0 ? kept[..(start - 1)] : kept;
                break;
            }

            start = end + 1;
        }

        var last = kept.LastIndexOf('/');
        if (last < 0)
        {
            return value;
        }

        var tail = kept[(kept[..last].LastIndexOf('/') + 1)..];
        return tail.Length == value.Length ? value : new string(tail);
    }

    private const string History = "_history";

    /// <summary>The text of a concept: its text, else its first display, else its first code.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(fallback))]
    public static string? Display(CodeableConcept? concept, string? fallback)
    {
        if (concept is null)
        {
            return fallback;
        }

        if (concept.Text is { Length: > 0 } text)
        {
            return text;
        }

        foreach (var coding in concept.Coding)
        {
            if (!string.IsNullOrWhiteSpace(coding.Display))
            {
                return coding.Display;
            }
        }

        foreach (var coding in concept.Coding)
        {
            if (!string.IsNullOrWhiteSpace(coding.Code))
            {
                return coding.Code;
            }
        }

        return fallback;
    }

    /// <summary>Every text of a concept: its text and its codings' displays.</summary>
    public static IEnumerable<string> Texts(CodeableConcept? concept)
    {
        if (concept is null)
        {
            yield break;
        }

        if (concept.Text is { Length: > 0 } text)
        {
            yield return text;
        }

        foreach (var coding in concept.Coding)
        {
            if (coding.Display is { Length: > 0 } display)
            {
                yield return display;
            }
        }
    }
}
