using System.Text;
using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Rules;

namespace BmesCds.CdsHooks.Discovery;

/// <summary>The README rule table, generated from <see cref="RuleCatalogue"/> (a test keeps README.md in step).</summary>
public static class RuleTable
{
    public const string StartMarker = "<!-- rule-table:start -->";
    public const string EndMarker = "<!-- rule-table:end -->";

    public static string ToMarkdown()
    {
        var builder = new StringBuilder();
        builder.Append("| Priority | Rule id | Hooks | Indicator | Fires when | Suggestion | Citation |\n");
        builder.Append("|---|---|---|---|---|---|---|\n");
        foreach (var rule in RuleCatalogue.All)
        {
            var hooks = string.Join(", ", rule.Hooks.Select(HookNames.Of));
            builder.Append($"| {rule.Priority} | `{rule.Id}` | {hooks} | {Cell(rule.Indicator)} | {Cell(rule.FiresWhen)} | {Cell(rule.Suggestion)} | {Cell(rule.Citation)} |\n");
        }

        return builder.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
