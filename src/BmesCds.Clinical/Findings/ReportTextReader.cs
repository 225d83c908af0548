using System.Text;

namespace BmesCds.Clinical.Findings;

/// <summary>What a radiology report's text says, each word counted only when not negated in its sentence.</summary>
public sealed record ReportReading(bool Normal, bool Abnormal, bool OsteonecrosisWords, bool Flattening, bool MarrowEdema, bool Equivocal)
{
    public static ReportReading Nothing { get; } = new(false, false, false, false, false, false);

    /// <summary>ON_IMAGING: the ON words plus "flattening" (of the femoral head).</summary>
    public bool OsteonecrosisFeatures => OsteonecrosisWords || Flattening;

    public bool SaysAnything => Normal || Abnormal || OsteonecrosisFeatures || MarrowEdema || Equivocal;
}

/// <summary>
/// Reads report text sentence by sentence (BMES-RULES.md section 4): a word counts only when no negation ("no", "not",
/// "without", "negative for", "absence of", "free of") precedes it in the same sentence, a NegEx-style rule.
/// </summary>
public static class ReportTextReader
{
    private static readonly string[] OsteonecrosisWords =
        ["osteonecrosis", "avascular necrosis", "avn", "double line", "band like", "crescent", "collapse", "necrotic"];

    private static readonly string[] MarrowEdemaWords =
        ["bone marrow edema", "bone marrow oedema", "marrow edema pattern", "marrow oedema pattern", "transient osteoporosis"];

    private static readonly string[] NormalWords = ["normal", "unremarkable", "no acute"];

    private static readonly string[] AbnormalWords = ["crescent", "collapse", "fracture", "osteoarthritis", "joint space narrowing"];

    private static readonly string[] EquivocalWords = ["equivocal", "indeterminate"];

    private static readonly string[] Negations = ["no", "not", "without", "negative for", "absence of", "free of"];

    private static readonly char[] SentenceEnds = ['.', '!', '?', ';', '\n', '\r'];

    public static ReportReading Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ReportReading.Nothing;
        }

        bool normal = false, abnormal = false, on = false, flattening = false, edema = false, equivocal = false;
        foreach (var raw in text.Split(SentenceEnds, StringSplitOptions.RemoveEmptyEntries))
        {
            var sentence = Normalize(raw);
            var negation = FirstNegation(sentence);
            normal |= Affirmed(sentence, NormalWords, negation);
            abnormal |= Affirmed(sentence, AbnormalWords, negation);
            on |= Affirmed(sentence, OsteonecrosisWords, negation);
            flattening |= Affirmed(sentence, ["flattening", "flattened"], negation);
            edema |= Affirmed(sentence, MarrowEdemaWords, negation);
            equivocal |= Affirmed(sentence, EquivocalWords, negation);
        }

        // An abnormal finding outweighs a "normal" elsewhere in the report.
        return new ReportReading(normal && !abnormal && !on && !flattening, abnormal || on || flattening, on, flattening, edema, equivocal);
    }

    // A term counts when it starts before the first negation; "no acute" starts at the negation itself and counts.
    private static bool Affirmed(string sentence, string[] terms, int negation)
    {
        foreach (var term in terms)
        {
            var index = sentence.IndexOf(" " + term, StringComparison.Ordinal);
            if (index >= 0 && index <= negation)
            {
                return true;
            }
        }

        return false;
    }

    private static int FirstNegation(string sentence)
    {
        var first = int.MaxValue;
        foreach (var negation in Negations)
        {
            var index = sentence.IndexOf(" " + negation + " ", StringComparison.Ordinal);
            if (index >= 0 && index < first)
            {
                first = index;
            }
        }

        return first;
    }

    private static string Normalize(string sentence)
    {
        var builder = new StringBuilder(sentence.Length + 2).Append(' ');
        var space = true;
        foreach (var c in sentence.ToLowerInvariant())
        {
            var letter = char.IsLetterOrDigit(c);
            if (letter || !space)
            {
                builder.Append(letter ? c : ' ');
            }

            space = !letter;
        }

        return builder.Append(' ').ToString();
    }
}
