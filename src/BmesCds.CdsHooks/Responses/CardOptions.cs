namespace BmesCds.CdsHooks.Responses;

/// <summary>How cards present their source and their replace suggestions (config section "Cards").</summary>
public sealed class CardOptions
{
    public const string Section = "Cards";

    /// <summary>`source.label` of every card.</summary>
    public string SourceLabel { get; set; } = "BMES Decision Support";

    /// <summary>When set, `source.url` is `{RuleDocsBaseUrl}/{ruleId}`: the rule's documentation page.</summary>
    public Uri? RuleDocsBaseUrl { get; set; }

    /// <summary>Optional absolute URL of a 100x100 PNG icon for `source.icon`.</summary>
    public Uri? SourceIcon { get; set; }

    /// <summary>How a suggestion replaces a draft order, for clients without their own `ReplaceAction`.</summary>
    public ReplaceAction ReplaceAction { get; set; } = ReplaceAction.DeleteAndCreate;

    /// <summary>What is wrong with these settings, naming the key; null when they are usable.</summary>
    public string? Problem() => this switch
    {
        { SourceLabel: var label } when string.IsNullOrWhiteSpace(label) => "Cards:SourceLabel must not be empty (CDS Hooks requires source.label).",
        { RuleDocsBaseUrl: { } url } when !IsWebAddress(url) => $"Cards:RuleDocsBaseUrl: '{url}' is not an absolute http(s) URL.",
        { SourceIcon: { } icon } when !IsWebAddress(icon) => $"Cards:SourceIcon: '{icon}' is not an absolute http(s) URL.",
        _ when !Enum.IsDefined(ReplaceAction) => $"Cards:ReplaceAction must be {string.Join(" or ", Enum.GetNames<ReplaceAction>())}.",
        _ => null,
    };

    private static bool IsWebAddress(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
}
