namespace BmesCds.Ledger.Reports;

/// <summary>
/// What happened to the cards issued in a window, per rule (the card's topic) and per service, and in total.
/// </summary>
/// <param name="From">Cards issued at or after this instant (null: since the first).</param>
/// <param name="To">Cards issued before this instant (null: up to now).</param>
/// <param name="GeneratedAt">When the report was built.</param>
/// <param name="Total">Every card of the window.</param>
/// <param name="ByRule">One line per rule (the card's topic), by rule id.</param>
/// <param name="ByService">One line per service, by service id.</param>
public sealed record LedgerReport(
    DateTimeOffset? From,
    DateTimeOffset? To,
    DateTimeOffset GeneratedAt,
    ReportLine Total,
    IReadOnlyList<ReportLine> ByRule,
    IReadOnlyList<ReportLine> ByService);

/// <summary>
/// One line of the report. A card's outcome is its first feedback item; shadow cards are never shown, so they have none.
/// </summary>
/// <param name="Key">The rule id (by rule), the service id (by service) or "total".</param>
/// <param name="IssuedLive">Cards returned to the EHR.</param>
/// <param name="IssuedShadow">Cards recorded in shadow mode (the answer had no cards).</param>
/// <param name="Accepted">Live cards whose first feedback is `accepted`.</param>
/// <param name="Overridden">Live cards whose first feedback is `overridden`.</param>
/// <param name="OverriddenByReason">The overridden cards by override reason code (null code: no coded reason).</param>
/// <param name="NoFeedback">Live cards without any feedback.</param>
/// <param name="AcceptanceRate">Accepted / (accepted + overridden); null without feedback.</param>
/// <param name="MedianSecondsToFeedback">Median time from issuing the card to receiving its first feedback; null without feedback.</param>
/// <param name="FeedbackForUnknownCards">Feedback items received in the window for card uuids never issued (by service and total only).</param>
public sealed record ReportLine(
    string Key,
    long IssuedLive,
    long IssuedShadow,
    long Accepted,
    long Overridden,
    IReadOnlyList<ReasonCount> OverriddenByReason,
    long NoFeedback,
    double? AcceptanceRate,
    double? MedianSecondsToFeedback,
    long? FeedbackForUnknownCards);

/// <summary>How many overridden cards gave this reason.</summary>
public sealed record ReasonCount(string? Code, string? Display, long Count);
