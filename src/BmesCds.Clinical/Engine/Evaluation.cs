using BmesCds.Clinical.Imaging;

namespace BmesCds.Clinical.Engine;

/// <summary>
/// What the engine concluded for one hook call: the cards, and for every order or joint it looked at, why it spoke or
/// stayed silent. The explanation is built from the same values the rules used, never from the card text.
/// </summary>
public sealed record Evaluation(IReadOnlyList<CardDraft> Cards, IReadOnlyList<Judgement> Judgements)
{
    public static Evaluation Silent { get; } = new([], []);
}

/// <summary>
/// One judged order (order hooks) or painful joint (patient-view): the silence that stopped the rules, or the verdict
/// of every rule the service runs; the findings as the rules saw them (described only when read); and the card.
/// </summary>
public sealed record Judgement(
    JudgedSubject Subject,
    Silence? Silence,
    IReadOnlyList<RuleVerdict> Rules,
    Func<IReadOnlyList<FindingSummary>> DescribeFindings,
    CardDraft? Card)
{
    private IReadOnlyList<FindingSummary>? _findings;

    public IReadOnlyList<FindingSummary> Findings => _findings ??= DescribeFindings();

    public static Func<IReadOnlyList<FindingSummary>> NoFindings { get; } = () => [];
}

/// <summary>What was judged: a joint and side, and on order hooks the order ("ServiceRequest/id") and its class.</summary>
public sealed record JudgedSubject(Joint Joint, Side Side, string? OrderReference, ImagingClass? OrderClass)
{
    public string JointCode => Joint.ToString().ToLowerInvariant();

    public string SideCode => Side.ToString().ToLowerInvariant();
}

/// <summary>How one rule's turn went for a judged order or joint.</summary>
public enum RuleOutcome
{
    Fired,
    DidNotFire,

    /// <summary>A silence let only some rules run (first X-ray of the hip: osteonecrosis-risk alone).</summary>
    NotRun,
}

/// <summary>Why one rule fired or not; the sentence is built only when asked for (explanations are rare, calls are many).</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Outcome">Whether it fired, did not, or did not run.</param>
/// <param name="Reason">For a fired rule its explanation, for a rule not run the silence; else what the rule needs.</param>
public sealed record RuleVerdict(string RuleId, RuleOutcome Outcome, string Reason)
{
    public bool Fired => Outcome == RuleOutcome.Fired;

    public string Why => Outcome switch
    {
        RuleOutcome.Fired => Reason,
        RuleOutcome.NotRun => $"not run: {Reason}",
        _ => $"did not fire; it needs: {Reason}",
    };
}

/// <summary>A finding with its evidence as the card detail would show it (display and date).</summary>
public sealed record FindingSummary(string Name, IReadOnlyList<string> Evidence);

/// <summary>Why the engine said nothing about an order or joint: a stable code (metrics, logs) and a sentence.</summary>
public sealed record Silence(SilenceReason Reason, string Why)
{
    public string Code => SilenceCodes.Of(Reason);
}

/// <summary>The reasons for silence (BMES-RULES.md section 5, plus orders the engine does not judge).</summary>
public enum SilenceReason
{
    /// <summary>order-select names an order that is not in draftOrders.</summary>
    SelectionNotFound,

    /// <summary>Not an imaging order of the hip, knee or ankle (or revoked): not this service's business.</summary>
    NotJudged,

    UnderAge,
    NoPain,
    Arthroplasty,
    Inflammation,
    BoneMalignancy,
    KnownOsteonecrosis,
    FirstXray,

    /// <summary>The silences let the rules speak, but none fired.</summary>
    NoRuleFired,

    /// <summary>The facts could not be read for this order or joint (an engine defect, guarded).</summary>
    Unreadable,
}

/// <summary>Kebab-case codes of <see cref="SilenceReason"/>, for metric tags and log fields.</summary>
public static class SilenceCodes
{
    public static string Of(SilenceReason reason) => reason switch
    {
        SilenceReason.SelectionNotFound => "selection-not-found",
        SilenceReason.NotJudged => "not-judged",
        SilenceReason.UnderAge => "under-age",
        SilenceReason.NoPain => "no-pain",
        SilenceReason.Arthroplasty => "arthroplasty",
        SilenceReason.Inflammation => "inflammation",
        SilenceReason.BoneMalignancy => "bone-malignancy",
        SilenceReason.KnownOsteonecrosis => "known-osteonecrosis",
        SilenceReason.FirstXray => "first-xray",
        SilenceReason.NoRuleFired => "no-rule-fired",
        _ => "unreadable",
    };
}
