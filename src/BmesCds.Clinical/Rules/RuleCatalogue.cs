using BmesCds.Clinical.Engine;

namespace BmesCds.Clinical.Rules;

/// <summary>
/// The rules, in priority order, and which service runs which (BMES-RULES.md section 6). Discovery and the README rule
/// table are generated from this list.
/// </summary>
public static class RuleCatalogue
{
    internal static IReadOnlyList<ClinicalRule> Rules { get; } =
    [
        new OsteonecrosisFindingsRule(),
        new EarlyOsteonecrosisNotExcludedRule(),
        new OsteonecrosisRiskRule(),
        new PregnancyAvoidIonizingRule(),
        new ReplaceWithMriRule(),
        new MriWithoutContrastRule(),
        new MriRecommendedRule(),
    ];

    /// <summary>Every rule, highest priority first.</summary>
    public static IReadOnlyList<RuleDescriptor> All { get; } = [.. Rules.Select(rule => rule.Descriptor)];

    /// <summary>The rules a hook's service runs, highest priority first.</summary>
    public static IReadOnlyList<RuleDescriptor> ForHook(HookKind hook) => [.. All.Where(rule => rule.Hooks.Contains(hook))];

    /// <summary>The rules a hook's service runs, highest priority first; chosen once per hook, not per judged order.</summary>
    internal static IReadOnlyList<ClinicalRule> RulesFor(HookKind hook) => ByHook[(int)hook];

    private static readonly IReadOnlyList<ClinicalRule>[] ByHook =
    [
        .. Enum.GetValues<HookKind>().Order().Select(hook => (IReadOnlyList<ClinicalRule>)[.. Rules.Where(rule => rule.Descriptor.Hooks.Contains(hook))]),
    ];
}
