using BmesCds.CdsHooks.Feedback;
using BmesCds.Ledger.Records;

namespace BmesCds.Service.Ledger;

/// <summary>
/// Turns a feedback item into a ledger row, every client string cut to a bound (card uuid, reason, comment), and queues
/// it. The item's key is computed on the stored values, so the same item posted twice is stored once.
/// With Ledger:Store None (<paramref name="queue"/> null) nothing is recorded.
/// </summary>
public sealed class FeedbackRecorder(LedgerQueue? queue, LedgerClock clock, LedgerOptions options)
{
    public const int MaxIdLength = 128;
    public const int MaxCodingLength = 256;
    public const int MaxAcceptedSuggestions = 50;

    public bool Enabled => queue is not null;

    public void Record(string serviceId, string client, FeedbackItem item)
    {
        if (queue is null)
        {
            return;
        }

        var outcome = item.Outcome == FeedbackOutcome.Accepted ? RecordedOutcome.Accepted : RecordedOutcome.Overridden;
        var card = Cut(item.CardUuid, MaxIdLength)!;
        var accepted = item.AcceptedSuggestionIds.Take(MaxAcceptedSuggestions).Select(id => Cut(id, MaxIdLength)!).ToList();
        var reason = item.OverrideReason;
        var system = Cut(reason?.ReasonSystem, MaxCodingLength);
        var code = Cut(reason?.ReasonCode, MaxCodingLength);
        var comment = Cut(reason?.UserComment, options.MaxCommentLength);
        queue.TryEnqueue(new ReceivedFeedback(
            ReceivedFeedback.KeyOf(card, outcome, accepted, system, code, comment, item.OutcomeTimestamp),
            card,
            serviceId,
            Cut(client, MaxCodingLength)!,
            outcome,
            accepted,
            system,
            code,
            Cut(reason?.ReasonDisplay, MaxCodingLength),
            comment,
            item.OutcomeTimestamp,
            clock.UtcNow));
    }

    private static string? Cut(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
