using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Responses;

/// <summary>
/// Turns the engine's card drafts into CDS Hooks cards: uuids on cards and suggestions, `selectionBehavior` whenever
/// there are suggestions, resources as FHIR JSON, and every empty optional member left out.
/// </summary>
public sealed class CardMapper(CardOptions options, Func<Guid> newUuid)
{
    /// <summary>The CDS Hooks limit is "&lt;140 characters".</summary>
    public const int MaxSummaryLength = 139;

    /// <summary>
    /// Version 7 uuids: random in 74 bits, yet ordered by time, so that the card ledger appends its keys instead of
    /// writing into random pages of its indexes (a SQLite ledger with random keys read and rewrote a page per key).
    /// </summary>
    public CardMapper(CardOptions options)
        : this(options, Guid.CreateVersion7)
    {
    }

    public CdsResponse ToResponse(IReadOnlyList<CardDraft> drafts)
    {
        var cards = new List<Card>(drafts.Count);
        foreach (var draft in drafts)
        {
            cards.Add(ToCard(draft));
        }

        return new(cards);
    }

    public Card ToCard(CardDraft draft)
    {
        var suggestions = new List<Suggestion>(draft.Suggestions.Count);
        foreach (var suggestion in draft.Suggestions)
        {
            suggestions.Add(ToSuggestion(suggestion));
        }

        return new Card(
            Uuid: newUuid().ToString(),
            Summary: Shorten(draft.Summary),
            Detail: string.IsNullOrWhiteSpace(draft.Detail) ? null : draft.Detail,
            Indicator: Indicator(draft.Indicator),
            Source: new CardSource(
                options.SourceLabel,
                options.RuleDocsBaseUrl is { } docs ? $"{docs.AbsoluteUri.TrimEnd('/')}/{draft.RuleId}" : null,
                options.SourceIcon?.AbsoluteUri,
                new CdsCoding(draft.RuleId, BmesCanonicals.RuleCodeSystem, draft.RuleDisplay)),
            Suggestions: NullIfEmpty(suggestions),
            SelectionBehavior: suggestions.Count > 0 ? "at-most-one" : null,
            OverrideReasons: OverrideReasons(draft.OverrideReasons),
            Links: NullIfEmpty(draft.Links.Select(link => new CardLink(link.Label, link.Url.AbsoluteUri, "absolute")).ToList()));
    }

    // The engine gives every card the same list of override reasons: mapped once and shared (the wire records are
    // immutable); another list is mapped anew and becomes the one remembered.
    private IReadOnlyList<CdsCoding>? OverrideReasons(IReadOnlyList<Coding> reasons)
    {
        if (_overrideReasons is { } known && ReferenceEquals(known.Source, reasons))
        {
            return known.Mapped;
        }

        var mapped = NullIfEmpty(reasons
            .Where(reason => reason.Code is not null && reason.System is not null)
            .Select(reason => new CdsCoding(reason.Code!, reason.System!, reason.Display ?? reason.Code))
            .ToList());
        _overrideReasons = new MappedReasons(reasons, mapped);
        return mapped;
    }

    private sealed record MappedReasons(IReadOnlyList<Coding> Source, IReadOnlyList<CdsCoding>? Mapped);

    private MappedReasons? _overrideReasons;

    private Suggestion ToSuggestion(SuggestionDraft draft) => new(
        draft.Label,
        newUuid().ToString(),
        draft.IsRecommended ? true : null,
        NullIfEmpty(draft.Actions.Select(ToAction).ToList()));

    // The wire words, as constants: an enum's name lowered would be two strings per card.
    private static string Indicator(CardIndicator indicator) => indicator switch
    {
        CardIndicator.Info => "info",
        CardIndicator.Warning => "warning",
        CardIndicator.Critical => "critical",
        _ => indicator.ToString().ToLowerInvariant(),
    };

    private static string ActionType(ActionKind kind) => kind switch
    {
        ActionKind.Create => "create",
        ActionKind.Update => "update",
        ActionKind.Delete => "delete",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static CdsAction ToAction(ActionDraft draft) => new(
        ActionType(draft.Kind),
        draft.Description,
        draft.Kind == ActionKind.Delete ? null : draft.Resource,
        draft.Kind == ActionKind.Delete ? draft.ResourceId : null);

    // The engine keeps summaries short; this is the last guard of the protocol's hard limit.
    private static string Shorten(string summary) =>
        summary.Length <= MaxSummaryLength ? summary : string.Concat(summary.AsSpan(0, MaxSummaryLength - 1), "…");

    private static List<T>? NullIfEmpty<T>(List<T> items) => items.Count == 0 ? null : items;
}
