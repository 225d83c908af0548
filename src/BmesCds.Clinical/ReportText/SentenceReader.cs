namespace BmesCds.Clinical.ReportText;

/// <summary>
/// Reads one sentence (BMES-RULES.md 7a, C5): finds the finding phrases and the triggers, and gives each finding the
/// certainty its clause gives it. A negation reaches forward ("no X", "without X") or backward ("X is not seen",
/// "X: none") within its clause; a hedge ("possible X", "X cannot be excluded") keeps the finding as possible; a
/// negation wins over a hedge in the same clause ("no fracture to suggest osteonecrosis" denies osteonecrosis).
/// A question ("Is there AVN?") states nothing.
/// </summary>
internal static class SentenceReader
{
    private static readonly int FindingCount = Enum.GetValues<ReportFinding>().Length;

    private static readonly HashSet<string> QuestionWords = new(StringComparer.Ordinal)
    {
        "is", "are", "was", "were", "any", "does", "do", "did", "could", "can", "has", "have", "what", "which", "why", "how",
    };

    /// <summary>The strongest certainty of each finding in the sentence (indexed by <see cref="ReportFinding"/>).</summary>
    public static Certainty[] Read(string sentence)
    {
        var result = new Certainty[FindingCount];
        var text = sentence.Trim();
        var trailingQuery = text.EndsWith('?');
        var tokens = SentenceTokens.Of(trailingQuery ? text[..^1] : text);
        if (tokens.Count == 0 || (trailingQuery && QuestionWords.Contains(tokens[0])))
        {
            return result;
        }

        var scopes = new TriggerScopes(tokens, Triggers.Find(tokens));
        foreach (var (start, end, findings) in Findings(tokens))
        {
            var certainty = scopes.Covers(TriggerKind.Negation, start, end) ? Certainty.Negated
                : trailingQuery || scopes.Covers(TriggerKind.Hedge, start, end) ? Certainty.Possible
                : Certainty.Definite;
            foreach (var finding in findings)
            {
                result[(int)finding] = (Certainty)Math.Max((int)result[(int)finding], (int)certainty);
            }
        }

        return result;
    }

    /// <summary>The finding phrases of the sentence, left to right, longest first, not overlapping.</summary>
    private static IEnumerable<(int Start, int End, ReportFinding[] Findings)> Findings(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count;)
        {
            var phrase = FindingTerms.All.FirstOrDefault(candidate => candidate.MatchesAt(tokens, i));
            if (phrase is null)
            {
                i++;
                continue;
            }

            yield return (i, i + phrase.Words.Length, phrase.Meaning);
            i += phrase.Words.Length;
        }
    }
}
