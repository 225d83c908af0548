using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using BmesCds.Clinical.Terminology;
using BmesCds.Ledger.Records;

namespace BmesCds.Service.Ledger;

/// <summary>
/// The ledger's instruments on the service's meter (<see cref="MeterName"/>), listed in README "Card ledger". Tags carry
/// service ids, rule ids, outcomes and override reason codes of the BMES code system only: never patient data, and
/// never a value a client can make up (an unknown reason code is "other").
/// </summary>
public sealed class LedgerMetrics
{
    public const string MeterName = "BmesCds";

    private readonly Counter<long> _feedback;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _snoozed;
    private readonly Counter<long> _snoozeRefreshFailures;
    private readonly FrozenSet<string> _reasonCodes;
    private Func<int> _queueDepth = () => 0;

    public LedgerMetrics(IMeterFactory meters, BmesTerminology terminology)
    {
        var meter = meters.Create(MeterName);
        _reasonCodes = terminology[BmesCanonicals.OverrideReasonCodeSystem].Ordered.Select(entry => entry.Key.Code).ToFrozenSet(StringComparer.Ordinal);
        _feedback = meter.CreateCounter<long>(
            "bmes_cds.feedback", "{item}", "Feedback items stored (duplicates not counted), by service, card rule, outcome and override reason.");
        _dropped = meter.CreateCounter<long>(
            "bmes_cds.ledger.dropped_writes", "{write}", "Ledger writes lost: queue-full, store-error or shutdown.");
        _snoozed = meter.CreateCounter<long>(
            "bmes_cds.ledger.snoozed_cards", "{card}", "Cards not returned because the same card was overridden for the patient's joint and side.");
        _snoozeRefreshFailures = meter.CreateCounter<long>(
            "bmes_cds.ledger.snooze_refresh_failures", "{read}", "Reloads of the snooze index from the store that failed (error) or ran out of time (timeout); the last index stays.");
        meter.CreateObservableGauge(
            "bmes_cds.ledger.queue_depth", () => _queueDepth(), "{write}", "Ledger writes waiting for the store.");
    }

    internal void ObserveQueue(Func<int> depth) => _queueDepth = depth;

    public void FeedbackStored(ReceivedFeedback feedback, string? cardRuleId)
    {
        var tags = new TagList
        {
            { "service", feedback.ServiceId },
            { "rule", cardRuleId ?? "unknown" },
            { "outcome", LedgerCodes.Of(feedback.Outcome) },
        };
        if (feedback.Outcome == RecordedOutcome.Overridden)
        {
            tags.Add("reason", ReasonTag(feedback.ReasonSystem, feedback.ReasonCode));
        }

        _feedback.Add(1, tags);
    }

    public void WritesDropped(string reason, int count) => _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void CardSnoozed(string serviceId, string ruleId) =>
        _snoozed.Add(1, new KeyValuePair<string, object?>("service", serviceId), new KeyValuePair<string, object?>("rule", ruleId));

    public void SnoozeRefreshFailed(string reason) => _snoozeRefreshFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    private string ReasonTag(string? system, string? code) =>
        code is null ? "none"
        : (system is null || system == BmesCanonicals.OverrideReasonCodeSystem) && _reasonCodes.Contains(code) ? code
        : "other";
}
