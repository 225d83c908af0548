namespace BmesCds.CdsHooks.Feedback;

/// <summary>What happened to a card, as the CDS client reports it.</summary>
public enum FeedbackOutcome
{
    Accepted,
    Overridden,
}

/// <summary>A feedback POST: one or more outcomes.</summary>
public sealed record FeedbackRequest(IReadOnlyList<FeedbackItem> Items);

/// <summary>One card's outcome (CDS Hooks 2.0 "Feedback").</summary>
public sealed record FeedbackItem(
    string CardUuid,
    FeedbackOutcome Outcome,
    IReadOnlyList<string> AcceptedSuggestionIds,
    OverrideReason? OverrideReason,
    DateTimeOffset OutcomeTimestamp);

/// <summary>Why the user overrode a card: a coded reason, a comment, or both.</summary>
public sealed record OverrideReason(string? ReasonSystem, string? ReasonCode, string? ReasonDisplay, string? UserComment);
