using System.Text;
using BmesCds.Clinical.ReportText;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Findings;

/// <summary>
/// Where an imaging result's free text is (BMES-RULES.md 7a, C4): a DiagnosticReport's `conclusion`, then each
/// `presentedForm` with contentType text/plain or text/html and inline `data` (HTML tags stripped); an imaging
/// Observation's `valueString`, then its `note`s. Attachments given only by `url` are not fetched.
/// </summary>
internal static class ReportTexts
{
    public static (IReadOnlyList<string> Texts, bool Unreadable) Of(DiagnosticReport report)
    {
        var texts = new List<string>();
        var unreadable = false;
        if (!string.IsNullOrWhiteSpace(report.Conclusion))
        {
            texts.Add(report.Conclusion);
        }

        foreach (var form in report.PresentedForm)
        {
            if (Text(form, out var failed) is { } text)
            {
                texts.Add(text);
            }

            unreadable |= failed;
        }

        return (texts, unreadable);
    }

    public static IReadOnlyList<string> Of(Observation observation)
    {
        var value = (observation.Value as FhirString)?.Value;
        if (observation.Note.Count == 0)
        {
            // Most results have no notes: at most the value, without a list.
            return string.IsNullOrWhiteSpace(value) ? [] : [value];
        }

        var texts = new List<string>();
        if (!string.IsNullOrWhiteSpace(value))
        {
            texts.Add(value);
        }

        foreach (var note in observation.Note)
        {
            if (!string.IsNullOrWhiteSpace(note.Text))
            {
                texts.Add(note.Text);
            }
        }

        return texts;
    }

    /// <summary>The text of a text/plain or text/html attachment with inline data; failed when its data or charset cannot be read.</summary>
    private static string? Text(Attachment form, out bool failed)
    {
        failed = false;
        var (mediaType, charset) = ContentType(form.ContentType);
        if (mediaType is not ("text/plain" or "text/html"))
        {
            return null;
        }

        var bytes = FhirFacts.ReadBase64(form.DataElement, out failed);
        if (bytes is null)
        {
            return null;
        }

        if (Encoding(charset) is not { } encoding)
        {
            failed = true;
            return null;
        }

        var text = encoding.GetString(bytes);
        return mediaType == "text/html" ? HtmlText.ToText(text) : text;
    }

    private static (string MediaType, string? Charset) ContentType(string? contentType)
    {
        var parts = (contentType ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var charset = parts.Skip(1).Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2 && pair[0].Equals("charset", StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1].Trim('"')).FirstOrDefault();
        return (parts.Length > 0 ? parts[0].ToLowerInvariant() : string.Empty, charset);
    }

    // UTF-8 unless told otherwise (FHIR's default); ASCII and Latin-1 are read, anything else is not guessed.
    private static Encoding? Encoding(string? charset) => charset?.ToLowerInvariant() switch
    {
        null or "utf-8" or "utf8" => System.Text.Encoding.UTF8,
        "us-ascii" or "ascii" => System.Text.Encoding.ASCII,
        "iso-8859-1" or "latin1" or "latin-1" => System.Text.Encoding.Latin1,
        _ => null,
    };
}
