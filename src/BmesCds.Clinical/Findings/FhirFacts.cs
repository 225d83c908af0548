using System.Globalization;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Findings;

/// <summary>Small, total readers of FHIR elements: dates, statuses and references, never throwing on odd data.</summary>
internal static class FhirFacts
{
    private static readonly string[] PartialFormats = ["yyyy", "yyyy-MM", "yyyy-MM-dd"];

    public static DateTimeOffset? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(value, PartialFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var partial))
        {
            return partial;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var full) ? full : null;
    }

    public static DateTimeOffset? DateOf(DataType? value) => value switch
    {
        FhirDateTime dateTime => ParseDate(dateTime.Value),
        Period period => ParseDate(period.Start) ?? ParseDate(period.End),
        Instant instant => instant.Value,
        Date date => ParseDate(date.Value),
        FhirString text => ParseDate(text.Value),
        _ => null,
    };

    public static bool HasCode(CodeableConcept? concept, params string[] codes) =>
        concept?.Coding.Any(coding => coding.Code is { } code && codes.Contains(code, StringComparer.OrdinalIgnoreCase)) == true;

    /// <summary>Refuted or entered-in-error: never a fact.</summary>
    public static bool IsRefuted(Condition condition) =>
        HasCode(condition.VerificationStatus, "refuted", "entered-in-error");

    /// <summary>Inactive, resolved or in remission (section 2).</summary>
    public static bool IsInactive(Condition condition) =>
        HasCode(condition.ClinicalStatus, "inactive", "resolved", "remission");

    public static DateTimeOffset? DateOf(Condition condition) =>
        DateOf(condition.Onset) ?? ParseDate(condition.RecordedDate);

    public static DateTimeOffset? DateOf(Observation observation) =>
        DateOf(observation.Effective) ?? observation.Issued;

    public static DateTimeOffset? DateOf(DiagnosticReport report) =>
        DateOf(report.Effective) ?? report.Issued;

    /// <summary>"Type/id", or null when the resource has no id.</summary>
    public static string? ReferenceTo(Resource resource) =>
        string.IsNullOrEmpty(resource.Id) ? null : $"{resource.TypeName}/{resource.Id}";

    /// <summary>The "Type/id" tail of a reference, whether relative or absolute.</summary>
    public static string? Normalize(ResourceReference? reference)
    {
        var value = reference?.Reference;
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var parts = value.TrimEnd('/').Split('/');
        var history = Array.IndexOf(parts, "_history");
        if (history > 0)
        {
            parts = parts[..history];
        }

        return parts.Length >= 2 ? $"{parts[^2]}/{parts[^1]}" : value;
    }

    /// <summary>The text of a concept: its text, else its first display, else its first code.</summary>
    public static string Display(CodeableConcept? concept, string fallback) =>
        concept?.Text is { Length: > 0 } text ? text
        : concept?.Coding.Select(coding => coding.Display).FirstOrDefault(display => !string.IsNullOrWhiteSpace(display))
          ?? concept?.Coding.Select(coding => coding.Code).FirstOrDefault(code => !string.IsNullOrWhiteSpace(code))
          ?? fallback;
}
