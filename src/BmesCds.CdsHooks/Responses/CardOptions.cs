namespace BmesCds.CdsHooks.Responses;

/// <summary>How cards present their source and their replace suggestions (config section "Cards").</summary>
public sealed class CardOptions
{
    /// <summary>`source.label` of every card.</summary>
    public string SourceLabel { get; set; } = "BMES Decision Support";

    /// <summary>When set, `source.url` is `{RuleDocsBaseUrl}/{ruleId}`: the rule's documentation page.</summary>
    public Uri? RuleDocsBaseUrl { get; set; }

    /// <summary>Optional absolute URL of a 100x100 PNG icon for `source.icon`.</summary>
    public Uri? SourceIcon { get; set; }

    /// <summary>How a suggestion replaces a draft order, for clients without their own `ReplaceAction`.</summary>
    public ReplaceAction ReplaceAction { get; set; } = ReplaceAction.DeleteAndCreate;
}
