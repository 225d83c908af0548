using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.ReportText;
using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Findings;

/// <summary>What one imaging result says: the X-ray result, the MRI result class, ON features, and the words the card shows.</summary>
internal sealed record ImagingResult(XrayResult Xray, MriFinding Mri, bool OsteonecrosisFeatures, string? Shown)
{
    public static ImagingResult None { get; } = new(XrayResult.None, MriFinding.None, false, null);
}

/// <summary>
/// Reads an imaging result (BMES-RULES.md section 4 and 7a, C4): a coded result (xray-normal, xray-abnormal,
/// bmes-imaging-finding) decides the X-ray result and the MRI class; without one, the text decides. Osteonecrosis
/// words in the text make ON_IMAGING either way: a report coded "abnormal" whose text says "crescent sign" is
/// osteonecrosis on imaging.
/// </summary>
internal static class ImagingResults
{
    public static ImagingResult Interpret(Vocabulary vocabulary, ImagingClass kind, IEnumerable<Coding> codings, IReadOnlyList<string> texts)
    {
        var coded = Coded(vocabulary, codings);
        var reading = ReportTextReader.Read(texts);
        var quote = Quote(texts);
        var isMri = kind.Modality == Modality.MR;
        if (coded is not null)
        {
            var textAddsOn = reading.OsteonecrosisFeatures && !coded.OsteonecrosisFeatures;
            return new ImagingResult(
                isMri ? XrayResult.None : coded.Xray,
                coded.Mri,
                coded.OsteonecrosisFeatures || reading.OsteonecrosisFeatures,
                textAddsOn && quote is not null ? $"{coded.Shown}; {quote}" : coded.Shown);
        }

        if (!reading.SaysAnything)
        {
            return new ImagingResult(XrayResult.None, texts.Count == 0 ? MriFinding.None : MriFinding.Other, false, quote);
        }

        var xray = reading.XrayClass switch
        {
            "abnormal" => XrayResult.Abnormal,
            "normal" => XrayResult.Normal,
            _ => XrayResult.None,
        };
        return new ImagingResult(isMri ? XrayResult.None : xray, Vocabulary.Finding(reading.MriClass), reading.OsteonecrosisFeatures, quote);
    }

    /// <summary>The coded result, or null when no coding is a result code.</summary>
    private static ImagingResult? Coded(Vocabulary vocabulary, IEnumerable<Coding> codings)
    {
        var xray = XrayResult.None;
        var mri = MriFinding.None;
        var on = false;
        string? shown = null;
        foreach (var coding in codings)
        {
            if (CodeKey.From(coding) is not { } key)
            {
                continue;
            }

            if (vocabulary.ImagingFinding.Find(key) is { } finding)
            {
                var code = Vocabulary.Finding(finding.Key.Code);
                on |= code == MriFinding.OsteonecrosisFeatures;
                mri = Stronger(mri, code);
                shown ??= finding.Display;
            }
            else if (vocabulary.XrayAbnormal.Find(key) is { } abnormal)
            {
                xray = XrayResult.Abnormal;
                shown = abnormal.Display;
            }
            else if (vocabulary.XrayNormal.Find(key) is { } normal)
            {
                xray = xray == XrayResult.None ? XrayResult.Normal : xray;
                mri = Stronger(mri, key.Code == Vocabulary.EquivocalResultCode ? MriFinding.Equivocal : MriFinding.Other);
                shown ??= normal.Display;
            }
        }

        return xray != XrayResult.None || mri != MriFinding.None || on ? new ImagingResult(xray, mri, on, shown) : null;
    }

    private static MriFinding Stronger(MriFinding a, MriFinding b) =>
        a == MriFinding.OsteonecrosisFeatures || b == MriFinding.None ? a
        : b == MriFinding.OsteonecrosisFeatures || a == MriFinding.None || a == MriFinding.Other ? b
        : a;

    /// <summary>
    /// The first text as the reader read it (the sections that report findings, sentence by sentence), on one line, at
    /// most 120 characters, in quotes: the card never quotes a clinical history's "?AVN" as if it were a finding.
    /// </summary>
    private static string? Quote(IReadOnlyList<string> texts)
    {
        foreach (var text in texts)
        {
            if (ReportTextReader.Sentences(text).Count > 0)
            {
                return Quotes.Get(text);
            }
        }

        return null;
    }

    // The same reports come back on every call for a patient: their quotes are memoised with their readings.
    private static readonly TextMemo<string> Quotes = new(text => QuoteOf(ReportTextReader.Sentences(text)));

    private static string QuoteOf(IReadOnlyList<string> sentences)
    {
        // List items and paragraphs without a full stop are kept apart with a semicolon.
        var joined = string.Concat(sentences.Select((sentence, index) =>
            index == sentences.Count - 1 || sentence[^1] is '.' or '!' or '?' ? sentence + " " : sentence + "; "));
        var trimmed = string.Join(' ', joined.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return trimmed.Length <= 120 ? $"\"{trimmed}\"" : $"\"{trimmed[..117]}...\"";
    }
}
