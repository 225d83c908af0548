using BmesCds.Clinical.Engine;

namespace BmesCds.Clinical.Rules;

/// <summary>
/// A rule's row in the catalogue: what the README rule table and discovery show. Id is the stable rule id (`bmes-cds-rule`
/// code, card `source.topic.code`); Priority 1 is highest, a merged card takes the topic of the highest that fired.
/// </summary>
public sealed record RuleDescriptor(
    string Id,
    int Priority,
    IReadOnlyList<HookKind> Hooks,
    string Indicator,
    string FiresWhen,
    string Suggestion,
    string Citation);

/// <summary>What one rule concluded for one judged order or joint; Explanation is one sentence for the card detail.</summary>
internal sealed record RuleFiring(CardIndicator Indicator, string Summary, string Explanation, IReadOnlyList<SuggestionDraft> Suggestions);

/// <summary>One clinical decision (BMES-RULES.md section 6): an id, a citation and a short Evaluate.</summary>
internal abstract class ClinicalRule
{
    public static readonly IReadOnlyList<HookKind> OrderHooks = [HookKind.OrderSelect, HookKind.OrderSign];

    public static readonly IReadOnlyList<HookKind> AllHooks = [HookKind.OrderSelect, HookKind.OrderSign, HookKind.PatientView];

    public abstract RuleDescriptor Descriptor { get; }

    public string Id => Descriptor.Id;

    /// <summary>Rules about osteonecrosis keep their indicator under MRI caution (section 6).</summary>
    public virtual bool IsOsteonecrosisRule => false;

    public abstract RuleFiring? Evaluate(RuleContext context);
}
