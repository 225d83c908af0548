namespace BmesCds.Clinical.ReportText;

/// <summary>
/// Reads a radiology report's free text (BMES-RULES.md 7a, C4 and C5): the sections that report findings, sentence
/// by sentence, each finding with the certainty its clause gives it. Pure and linear in the length of the text.
/// </summary>
public static class ReportTextReader
{
    public static ReportReading Read(string? text) => Read(string.IsNullOrWhiteSpace(text) ? [] : [text]);

    /// <summary>Several texts of one report (conclusion, presentedForm, note) read as one: each ends its sentences.</summary>
    public static ReportReading Read(IEnumerable<string> texts)
    {
        var reading = ReportReading.Nothing;
        foreach (var text in texts)
        {
            foreach (var sentence in Sentences(text))
            {
                reading = reading.With(SentenceReader.Read(sentence));
            }
        }

        return reading;
    }

    /// <summary>The sentences the reader reads, after the sections that only ask or describe are dropped.</summary>
    public static IReadOnlyList<string> Sentences(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : SentenceSplitter.Split(ReportSections.Relevant(text));
}
