namespace BmesCds.Clinical.ReportText;

/// <summary>What a trigger phrase does to the findings in its reach.</summary>
internal enum TriggerKind
{
    /// <summary>The finding is denied: "no", "without", "not seen", "AVN: none", "ruled out", "excluded".</summary>
    Negation,

    /// <summary>The finding is kept as a possibility: "possible", "suspicious for", "cannot be excluded".</summary>
    Hedge,

    /// <summary>Looks like a negation but is not one: "no change in", "no further", "not only".</summary>
    Pseudo,

    /// <summary>Ends the reach of a negation or hedge: "but", "however", "although", "apart from", "there is".</summary>
    Termination,
}

/// <summary>Which way a trigger reaches: to the words after it, before it, or both, within its clause.</summary>
[Flags]
internal enum Reach
{
    None = 0,
    Forward = 1,
    Backward = 2,
    Both = Forward | Backward,
}

/// <summary>A trigger found in a sentence: tokens [Start, End), its kind and reach (MaxWords: 0 is the whole clause).</summary>
internal sealed record Trigger(int Start, int End, TriggerKind Kind, Reach Reach, int MaxWords = 0);

/// <summary>
/// The trigger vocabulary of the text reader (BMES-RULES.md 7a, C5), NegEx-style, as lists a clinician can read.
/// Negations reach forward ("no", "without", "negative for") or backward ("not seen", "none", "excluded"); hedges
/// ("possible", "suspicious for", "cannot be excluded") keep the finding as a possibility; pseudo-negations ("no change
/// in the collapse") are not negations at all. Two families are recognised by pattern, not by list: "not" / "no"
/// within three words of "exclude(d)" or "rule(d) out" is a hedge ("cannot be excluded", "not ruled out", "it is not
/// possible to exclude"), and "not" within two words of a verb of seeing ("not seen", "not clearly identified") is a
/// negation of what comes before it.
/// </summary>
internal static class Triggers
{
    private static readonly HashSet<string> ExcludeWords = new(StringComparer.Ordinal) { "exclude", "excluded", "excluding", "rule", "ruled" };

    private static readonly HashSet<string> SeeingWords = new(StringComparer.Ordinal)
    {
        "seen", "identified", "demonstrated", "present", "evident", "visualised", "visualized", "appreciated", "detected",
        "shown", "apparent", "noted", "found", "observed", "depicted", "visible", "confirmed", "recognised", "recognized",
    };

    // "AVN is not favoured", "findings are not likely to represent AVN": a denied judgement reaches both ways.
    private static readonly HashSet<string> JudgingWords = new(StringComparer.Ordinal)
    {
        "favoured", "favored", "likely", "suspected", "considered", "suggested", "thought", "felt", "typical", "suggestive",
        "consistent", "compatible",
    };

    private static readonly IReadOnlyList<Phrase<(TriggerKind Kind, Reach Reach, int MaxWords)>> Vocabulary =
        Phrase<(TriggerKind, Reach, int)>.LongestFirst(
        [
            .. Words(TriggerKind.Pseudo, Reach.None,
                "no change", "no interval change", "no significant change", "no significant interval change", "no increase",
                "no decrease", "no further", "no progression", "no significant progression", "no interval progression",
                "no worsening", "not only", "not necessarily", "without change", "without interval change", "gram negative"),
            .. Words(TriggerKind.Negation, Reach.Forward,
                "no", "not", "without", "negative for", "absence of", "free of", "lack of", "lacks", "nor", "neither",
                "never", "none of", "rather than", "instead of", "resolution of", "low probability of", "low likelihood of"),

            // Questions and history are no findings of this study: the indication restated, a request, a past event.
            .. Words(TriggerKind.Negation, Reach.Forward,
                "exclude", "excluding", "to exclude", "rule out", "to rule out", "evaluate for", "evaluation for",
                "evaluation of", "assess for", "assessment for", "assessment of", "to look for", "looking for",
                "history of", "past history of", "previous history of", "h o", "referred with", "referred for",
                "clinical suspicion of", "clinical suspicion for", "clinical concern for", "clinically suspected"),
            .. Words(TriggerKind.Negation, Reach.Backward, "suspected clinically", "queried clinically"),
            .. Words(TriggerKind.Negation, Reach.Backward,
                "none", "excluded", "is excluded", "has been excluded", "ruled out", "has been ruled out", "resolved",
                "has resolved", "have resolved"),
            .. Words(TriggerKind.Negation, Reach.Both, "absent", "negative", "unlikely", "less likely", "not likely", "improbable", "doubtful"),
            .. Words(TriggerKind.Hedge, Reach.Both, "possible", "probable", "likely", "suspected", "questionable", "presumed", "query", "vs", "versus"),
            .. Words(TriggerKind.Hedge, Reach.Forward,
                "possibly", "probably", "presumably", "suspicious for", "suspicious of", "concerning for", "concerning of",
                "worrisome for", "suggestive of", "suggests", "suggest", "suggesting", "to suggest", "equivocal for",
                "indeterminate for", "differential includes", "differential diagnosis includes", "raising the possibility of",
                "raises the possibility of", "favour", "favor"),

            // Modal verbs hedge their subject too: "early osteonecrosis may be occult on MRI".
            .. Words(TriggerKind.Hedge, Reach.Both,
                "may represent", "may reflect", "may be", "could represent", "could reflect", "could be", "might represent", "might be"),
            .. Words(TriggerKind.Hedge, Reach.Backward, "queried", "questioned", "favoured", "favored"),
            .. Words(TriggerKind.Termination, Reach.None,
                "but", "however", "although", "though", "whereas", "while", "yet", "except", "apart from", "aside from",
                "other than", "besides", "there is", "there are", "there has been", "which", "nevertheless", "nonetheless",
                "otherwise"),
        ]);

    /// <summary>"non-necrotic": "non" denies the one word that follows.</summary>
    private static readonly Phrase<(TriggerKind, Reach, int)> Non = new(["non"], (TriggerKind.Negation, Reach.Forward, 1));

    /// <summary>The triggers of a sentence, left to right, never overlapping (at each word the longest one wins).</summary>
    public static List<Trigger> Find(IReadOnlyList<string> tokens)
    {
        var found = new List<Trigger>();
        for (var i = 0; i < tokens.Count;)
        {
            var trigger = ExcludeHedge(tokens, i) ?? NotSeen(tokens, i) ?? ClauseEndNegation(tokens, i) ?? QueryMark(tokens, i) ?? FromVocabulary(tokens, i);
            if (trigger is null)
            {
                i++;
                continue;
            }

            found.Add(trigger);
            i = trigger.End;
        }

        return found;
    }

    // "cannot be excluded", "not ruled out", "it is not possible to exclude": the finding stays possible.
    private static Trigger? ExcludeHedge(IReadOnlyList<string> tokens, int i)
    {
        if (tokens[i] is not ("not" or "no"))
        {
            return null;
        }

        for (var j = i + 1; j < tokens.Count && j <= i + 3 && !IsClauseMark(tokens[j]); j++)
        {
            if (ExcludeWords.Contains(tokens[j]))
            {
                var end = j + 1 < tokens.Count && tokens[j + 1] == "out" ? j + 2 : j + 1;
                return new Trigger(i, end, TriggerKind.Hedge, Reach.Both);
            }
        }

        return null;
    }

    // "osteonecrosis is not seen", "AVN is not clearly identified": denies what comes before it;
    // "AVN is not favoured", "not likely to represent AVN": denies both ways.
    private static Trigger? NotSeen(IReadOnlyList<string> tokens, int i)
    {
        if (tokens[i] != "not")
        {
            return null;
        }

        for (var j = i + 1; j < tokens.Count && j <= i + 2 && !IsClauseMark(tokens[j]); j++)
        {
            if (SeeingWords.Contains(tokens[j]))
            {
                return new Trigger(i, j + 1, TriggerKind.Negation, Reach.Backward);
            }

            if (JudgingWords.Contains(tokens[j]))
            {
                return new Trigger(i, j + 1, TriggerKind.Negation, Reach.Both);
            }
        }

        return null;
    }

    // "AVN: no", "Collapse - not.": a bare "no" or "not" closing its clause denies what comes before it.
    private static Trigger? ClauseEndNegation(IReadOnlyList<string> tokens, int i) =>
        tokens[i] is "no" or "not" && (i + 1 == tokens.Count || IsClauseMark(tokens[i + 1]))
            ? new Trigger(i, i + 1, TriggerKind.Negation, Reach.Backward)
            : null;

    // "? AVN", "?early osteonecrosis": the radiologist's query mark before a finding.
    private static Trigger? QueryMark(IReadOnlyList<string> tokens, int i) =>
        tokens[i] == SentenceTokens.Query ? new Trigger(i, i + 1, TriggerKind.Hedge, Reach.Forward) : null;

    private static Trigger? FromVocabulary(IReadOnlyList<string> tokens, int i)
    {
        foreach (var phrase in Vocabulary.Append(Non))
        {
            if (phrase.MatchesAt(tokens, i))
            {
                var (kind, reach, max) = phrase.Meaning;
                return new Trigger(i, i + phrase.Words.Length, kind, reach, max);
            }
        }

        return null;
    }

    public static bool IsClauseMark(string token) => token is SentenceTokens.Comma or SentenceTokens.Semicolon;

    private static IEnumerable<(string, (TriggerKind, Reach, int))> Words(TriggerKind kind, Reach reach, params string[] phrases) =>
        phrases.Select(phrase => (phrase, (kind, reach, 0)));
}
