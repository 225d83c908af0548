namespace BmesCds.Clinical.ReportText;

/// <summary>
/// The words each trigger of a sentence reaches, worked out once per sentence. A clause ends at ";", at a terminating
/// word ("but", "however", "apart from"), and at a comma that is not a list separator. Erring towards the list keeps
/// a denied osteonecrosis denied ("no fracture, dislocation or AVN"), which is the safer error.
/// </summary>
internal sealed class TriggerScopes
{
    private static readonly HashSet<string> ListWords = new(StringComparer.Ordinal) { "or", "nor", "and" };

    // A backward negation stops at a word that affirms what comes before it ("edema is present and AVN is not seen").
    private static readonly HashSet<string> Affirming = new(StringComparer.Ordinal)
    {
        "present", "seen", "noted", "identified", "demonstrated", "shown", "visible", "evident", "shows", "show", "showing",
        "reveals", "revealed", "demonstrates", "demonstrating",
    };

    private readonly List<string> _tokens;
    private readonly List<(Trigger Trigger, int From, int To)> _scopes = [];
    private readonly bool[] _terminationStarts;
    private readonly bool[] _terminationEnds;
    private readonly bool[] _inTrigger;

    public TriggerScopes(List<string> tokens, List<Trigger> triggers)
    {
        _tokens = tokens;
        _terminationStarts = new bool[tokens.Count];
        _terminationEnds = new bool[tokens.Count];
        _inTrigger = new bool[tokens.Count];
        foreach (var trigger in triggers)
        {
            for (var i = trigger.Start; i < trigger.End; i++)
            {
                _inTrigger[i] = true;
            }

            if (trigger.Kind == TriggerKind.Termination)
            {
                _terminationStarts[trigger.Start] = true;
                _terminationEnds[trigger.End - 1] = true;
            }
        }

        foreach (var trigger in triggers.Where(trigger => trigger.Kind is TriggerKind.Negation or TriggerKind.Hedge))
        {
            var from = trigger.Reach.HasFlag(Reach.Backward) ? BackwardStart(trigger) : trigger.Start;
            var to = trigger.Reach.HasFlag(Reach.Forward) ? ForwardEnd(trigger) : trigger.End;
            _scopes.Add((trigger, from, to));
        }
    }

    /// <summary>Whether a trigger of this kind reaches the whole phrase [start, end).</summary>
    public bool Covers(TriggerKind kind, int start, int end) =>
        _scopes.Exists(scope => scope.Trigger.Kind == kind
            && ((scope.Trigger.End <= start && end <= scope.To) || (end <= scope.Trigger.Start && scope.From <= start)));

    /// <summary>One past the last token a forward trigger reaches.</summary>
    private int ForwardEnd(Trigger trigger)
    {
        var limit = trigger.MaxWords > 0 ? Math.Min(_tokens.Count, trigger.End + trigger.MaxWords) : _tokens.Count;
        for (var i = trigger.End; i < limit; i++)
        {
            if (_tokens[i] == SentenceTokens.Semicolon || _terminationStarts[i]
                || (_tokens[i] == SentenceTokens.Comma && !ListContinuesAfter(i)))
            {
                return i;
            }
        }

        return limit;
    }

    /// <summary>The first token a backward trigger reaches.</summary>
    private int BackwardStart(Trigger trigger)
    {
        for (var i = trigger.Start - 1; i >= 0; i--)
        {
            if (_tokens[i] == SentenceTokens.Semicolon || _terminationEnds[i] || (!_inTrigger[i] && StopsBackward(trigger, _tokens[i]))
                || (_tokens[i] == SentenceTokens.Comma && !ListBetween(i, trigger.Start)))
            {
                return i + 1;
            }
        }

        return 0;
    }

    // A hedge does not reach back past "with" or "and": in "crescent sign with possible collapse" the sign is stated.
    private static bool StopsBackward(Trigger trigger, string token) =>
        trigger.Kind == TriggerKind.Negation ? Affirming.Contains(token) : token is "with" or "and";

    /// <summary>After a forward trigger, a comma separates list items unless what follows is a clause: over four words, no list word.</summary>
    private bool ListContinuesAfter(int comma)
    {
        var words = 0;
        for (var i = comma + 1; i < _tokens.Count && !Triggers.IsClauseMark(_tokens[i]) && !_terminationStarts[i]; i++)
        {
            if (ListWords.Contains(_tokens[i]))
            {
                return true;
            }

            words++;
        }

        return words <= 4;
    }

    /// <summary>Before a backward trigger, a comma is a list separator when a list word lies between it and the trigger.</summary>
    private bool ListBetween(int comma, int triggerStart)
    {
        for (var i = comma + 1; i < triggerStart; i++)
        {
            if (ListWords.Contains(_tokens[i]))
            {
                return true;
            }
        }

        return false;
    }
}
