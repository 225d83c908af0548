namespace BmesCds.Clinical.ReportText;

/// <summary>
/// Reads a radiology report's free text (BMES-RULES.md 7a, C4 and C5): the sections that report findings, sentence
/// by sentence, each finding with the certainty its clause gives it. Pure and linear in the length of the text.
/// </summary>
public static class ReportTextReader
{
    // One text's sentences and reading, remembered: the findings are the strongest certainty over sentences (a maximum),
    // so texts read one by one and combined read exactly as one text would.
    private static readonly TextMemo<(IReadOnlyList<string> Sentences, ReportReading Reading)> Texts = new(ReadText);

    public static ReportReading Read(string? text) => Read(string.IsNullOrWhiteSpace(text) ? [] : [text]);

    /// <summary>Several texts of one report (conclusion, presentedForm, note) read as one: each ends its sentences.</summary>
    public static ReportReading Read(IEnumerable<string> texts)
    {
        var reading = ReportReading.Nothing;
        foreach (var text in texts)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                reading = reading.With(Texts.Get(text).Reading);
            }
        }

        return reading;
    }

    /// <summary>The sentences the reader reads, after the sections that only ask or describe are dropped.</summary>
    public static IReadOnlyList<string> Sentences(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : Texts.Get(text).Sentences;

    private static (IReadOnlyList<string> Sentences, ReportReading Reading) ReadText(string text)
    {
        var sentences = SentenceSplitter.Split(ReportSections.Relevant(text));
        var reading = ReportReading.Nothing;
        foreach (var sentence in sentences)
        {
            reading = reading.With(SentenceReader.Read(sentence));
        }

        return (sentences, reading);
    }
}
