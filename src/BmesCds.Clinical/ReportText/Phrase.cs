namespace BmesCds.Clinical.ReportText;

/// <summary>A phrase as words, with what it means; matched word by word against a sentence's tokens.</summary>
internal sealed record Phrase<T>(string[] Words, T Meaning)
{
    /// <summary>Phrases from "word word" strings, longest first so that "bone marrow edema" wins over "marrow edema".</summary>
    public static IReadOnlyList<Phrase<T>> LongestFirst(IEnumerable<(string Text, T Meaning)> phrases) =>
    [
        .. phrases
            .Select(phrase => new Phrase<T>(phrase.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries), phrase.Meaning))
            .OrderByDescending(phrase => phrase.Words.Length),
    ];

    public bool MatchesAt(IReadOnlyList<string> tokens, int start)
    {
        if (start + Words.Length > tokens.Count)
        {
            return false;
        }

        for (var i = 0; i < Words.Length; i++)
        {
            if (!string.Equals(tokens[start + i], Words[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
