using System.Text;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;
using Evidence = BmesCds.Clinical.Findings.Evidence;

namespace BmesCds.Clinical.Rules;

/// <summary>
/// Merges the rules that fired for one judged order or joint into one card (section 6): topic of the highest-priority
/// rule, the highest indicator, a detail naming every finding with its evidence, the suggestions of the highest rule
/// that has any (exactly one recommended), MRI caution applied last.
/// </summary>
internal sealed class CardComposer
{
    public const int MaxSummaryLength = 139;

    private readonly Vocabulary _vocabulary;
    private readonly ClinicalOptions _options;
    private readonly IReadOnlyList<Coding> _overrideReasons;

    public CardComposer(Vocabulary vocabulary, ClinicalOptions options)
    {
        _vocabulary = vocabulary;
        _options = options;
        _overrideReasons = [.. vocabulary.OverrideReasons.Ordered.Select(reason => new Coding(reason.Key.System, reason.Key.Code, reason.Display))];
    }

    public CardDraft Compose(IReadOnlyList<(ClinicalRule Rule, RuleFiring Firing)> fired, JointFindings findings)
    {
        var (top, topFiring) = fired[0];

        // The highest indicator; the suggestions of the highest rule that has any; the rule ids in firing order.
        var indicator = topFiring.Indicator;
        IReadOnlyList<SuggestionDraft>? suggestions = null;
        var ruleIds = new string[fired.Count];
        for (var i = 0; i < fired.Count; i++)
        {
            var (rule, firing) = fired[i];
            indicator = firing.Indicator > indicator ? firing.Indicator : indicator;
            suggestions ??= firing.Suggestions.Count > 0 ? firing.Suggestions : null;
            ruleIds[i] = rule.Id;
        }

        suggestions ??= [];
        var caution = findings.MriCaution.Count > 0;
        if (caution)
        {
            // No suggestion may propose an MRI or remove the order; the card is at most info unless an ON rule fired.
            suggestions = [.. suggestions.Where(suggestion => !suggestion.Actions.Any(action => action.Kind == ActionKind.Delete || action.Resource is ServiceRequest))];
            if (!fired.Any(item => item.Rule.IsOsteonecrosisRule))
            {
                indicator = CardIndicator.Info;
            }
        }

        return new CardDraft(
            top.Id,
            RuleDisplay(top.Id),
            indicator,
            Clip(topFiring.Summary),
            Detail(fired, findings, caution),
            OneRecommended(suggestions),
            Links(fired),
            _overrideReasons,
            ruleIds,
            findings.Target.Subject);
    }

    private string RuleDisplay(string id) =>
        _vocabulary.Rules.Find(new CodeKey(BmesCanonicals.RuleCodeSystem, id))?.Display ?? id;

    private static string Clip(string summary) =>
        summary.Length <= MaxSummaryLength ? summary : string.Concat(summary.AsSpan(0, MaxSummaryLength - 3), "...");

    private static IReadOnlyList<SuggestionDraft> OneRecommended(IReadOnlyList<SuggestionDraft> suggestions)
    {
        var recommended = 0;
        for (var i = 0; i < suggestions.Count; i++)
        {
            recommended += suggestions[i].IsRecommended ? 1 : 0;
        }

        if (suggestions.Count == 0 || recommended == 1)
        {
            return suggestions;
        }

        var chosen = suggestions.FirstOrDefault(suggestion => suggestion.IsRecommended) ?? suggestions[0];
        return [.. suggestions.Select(suggestion => suggestion with { IsRecommended = ReferenceEquals(suggestion, chosen) })];
    }

    // Each rule's links in firing order, each URL once.
    private List<LinkDraft> Links(IReadOnlyList<(ClinicalRule Rule, RuleFiring Firing)> fired)
    {
        var links = new List<LinkDraft>();
        foreach (var (rule, _) in fired)
        {
            foreach (var link in _options.LinksFor(rule.Id))
            {
                if (link.Url is { IsAbsoluteUri: true } url && !string.IsNullOrWhiteSpace(link.Label) && !links.Exists(known => known.Url == url))
                {
                    links.Add(new LinkDraft(link.Label, url));
                }
            }
        }

        return links;
    }

    private string Detail(IReadOnlyList<(ClinicalRule Rule, RuleFiring Firing)> fired, JointFindings f, bool caution)
    {
        // One builder per thread, reused (as the runtime's own StringBuilderCache): the text becomes one string at the end.
        var text = t_detail ?? new StringBuilder(DetailCapacity);
        t_detail = null;
        foreach (var (rule, firing) in fired)
        {
            text.Append($"**{RuleDisplay(rule.Id)}** (`{rule.Id}`): {firing.Explanation}\n\n");
        }

        text.Append("Findings:\n\n");
        Line(text, "Pain", f.Pain);
        if (f.XrayEvidence is { } xray)
        {
            Line(text, f.Xray == XrayResult.Normal ? "X-ray, normal" : "X-ray, abnormal", [xray]);
        }
        else if (f.XrayDone)
        {
            text.Append($"- X-ray in the last {_options.XrayWindowDays} days without a result on record\n");
        }

        Line(text, "Labs, not raised", f.LabsNormal);
        foreach (var risk in f.OsteonecrosisRisk)
        {
            text.Append($"- Osteonecrosis risk factor, {risk.Describe()}\n");
        }

        if (f.MriEvidence is { } mri)
        {
            Line(text, $"MRI result ({Describe(f.MriResult)})", [mri]);
        }

        Line(text, "Osteonecrosis features on imaging", f.OsteonecrosisImaging);
        Line(text, "MRI done or ordered", f.MriRecent);
        Line(text, "Pregnancy", f.Pregnant);
        Line(text, "MRI caution", f.MriCaution);
        if (f.Unreadable.Count > 0)
        {
            // C7: what could not be read was left out; the clinician should know.
            text.Append("- Could not be read, not counted: ");
            AppendDistinct(text, f.Unreadable, static (text, note) => text.Append(note));
            text.Append('\n');
        }

        if (caution)
        {
            text.Append("\nMRI caution on record: confirm the device is MR-conditional before any MRI. "
                + "When MRI is impossible, CT or a bone scan with SPECT are the alternatives.\n");
        }

        // Exactly one closing newline.
        while (text.Length > 0 && text[^1] == '\n')
        {
            text.Length--;
        }

        var detail = text.Append('\n').ToString();
        if (text.Capacity <= MaxCachedCapacity)
        {
            t_detail = text.Clear();
        }

        return detail;
    }

    private const int DetailCapacity = 1024;

    /// <summary>A builder that grew past this (a card with very many findings) is not kept: the cache stays small.</summary>
    private const int MaxCachedCapacity = 8 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_detail;

    private static void Line(StringBuilder text, string label, List<Evidence> evidence)
    {
        if (evidence.Count > 0)
        {
            text.Append("- ").Append(label).Append(": ");
            AppendDistinct(text, evidence, static (text, item) => item.AppendTo(text));
            text.Append('\n');
        }
    }

    /// <summary>The items joined with "; ", each equal item once, in first-seen order (as string.Join over Distinct()).</summary>
    private static void AppendDistinct<T>(StringBuilder text, List<T> items, Action<StringBuilder, T> append)
    {
        // A set only when there can be a repeat: most lines hold one item.
        var seen = items.Count > 1 ? new HashSet<T>() : null;
        var first = true;
        foreach (var item in items)
        {
            if (seen is not null && !seen.Add(item))
            {
                continue;
            }

            if (!first)
            {
                text.Append("; ");
            }

            append(text, item);
            first = false;
        }
    }

    private static string Describe(MriFinding finding) => finding switch
    {
        MriFinding.BmePattern => "bone marrow edema pattern",
        MriFinding.OsteonecrosisFeatures => "osteonecrosis features",
        MriFinding.Equivocal => "equivocal",
        _ => "other finding",
    };
}
