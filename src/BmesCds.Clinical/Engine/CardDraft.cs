using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Engine;

/// <summary>Urgency of a card, in increasing order (CDS Hooks `indicator`).</summary>
public enum CardIndicator
{
    Info,
    Warning,
    Critical,
}

/// <summary>The kind of change a suggestion action makes (CDS Hooks `action.type`).</summary>
public enum ActionKind
{
    Create,
    Update,
    Delete,
}

/// <summary>
/// A card as the clinical engine decides it, before the protocol layer gives it uuids and CDS Hooks JSON.
/// </summary>
/// <param name="RuleId">The winning rule's stable id; becomes `source.topic.code`.</param>
/// <param name="RuleDisplay">The rule's display; becomes `source.topic.display`.</param>
/// <param name="Indicator">The highest indicator of every rule merged into this card.</param>
/// <param name="Summary">One sentence, at most 139 characters.</param>
/// <param name="Detail">Markdown listing the findings that fired, or null.</param>
/// <param name="Suggestions">Suggestions; when non-empty, exactly one is recommended.</param>
/// <param name="Links">Guideline links behind the rule.</param>
/// <param name="OverrideReasons">Codings the user may pick when overriding the card.</param>
/// <param name="FiredRuleIds">Every rule merged into the card, highest priority first (the first is RuleId).</param>
/// <param name="Subject">The order or joint the card is about (joint, side, judged order): for the card ledger and snooze.</param>
public sealed record CardDraft(
    string RuleId,
    string RuleDisplay,
    CardIndicator Indicator,
    string Summary,
    string? Detail,
    IReadOnlyList<SuggestionDraft> Suggestions,
    IReadOnlyList<LinkDraft> Links,
    IReadOnlyList<Coding> OverrideReasons,
    IReadOnlyList<string> FiredRuleIds,
    JudgedSubject Subject);

/// <summary>A suggestion: its actions are applied together when the user accepts it.</summary>
public sealed record SuggestionDraft(string Label, bool IsRecommended, IReadOnlyList<ActionDraft> Actions);

/// <summary>One action of a suggestion. Create/update carry a resource; delete carries a relative reference.</summary>
public sealed record ActionDraft(ActionKind Kind, string Description, Resource? Resource, string? ResourceId);

/// <summary>An absolute link to the guideline behind a rule.</summary>
public sealed record LinkDraft(string Label, Uri Url);
