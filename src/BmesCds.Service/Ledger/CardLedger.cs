using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical.Engine;
using BmesCds.Ledger.Records;
using BmesCds.Ledger.Storage;

namespace BmesCds.Service.Ledger;

/// <summary>
/// The card ledger on the hook path. Screening drops the drafts whose rule was overridden for this patient's joint and
/// side within Ledger:SnoozeDays (a higher-priority rule firing makes a card with another topic, which is not snoozed).
/// Recording queues one row per card, live or shadow, and in shadow mode answers no cards. With Ledger:Store None
/// (<paramref name="queue"/> null) nothing is snoozed or recorded; shadow mode still holds.
/// </summary>
public sealed class CardLedger(
    CardModes modes,
    PatientKey? patientKeys,
    SnoozeReader? snoozes,
    LedgerQueue? queue,
    LedgerClock clock,
    LedgerMetrics metrics,
    ILogger<CardLedger> logger) : ICardLedger
{
    public async Task<ScreenedCards> ScreenAsync(LedgerCall call, IReadOnlyList<CardDraft> drafts, CancellationToken cancel)
    {
        var mode = modes.For(call.ServiceId);
        if (drafts.Count == 0 || patientKeys is null)
        {
            return new ScreenedCards(drafts, mode, null);
        }

        var patientKey = patientKeys.Of(call.PatientId);
        var active = snoozes is null ? [] : await snoozes.ReadAsync(patientKey, call.HookInstance, cancel).ConfigureAwait(false);
        if (active.Count == 0)
        {
            return new ScreenedCards(drafts, mode, patientKey);
        }

        var kept = new List<CardDraft>(drafts.Count);
        foreach (var draft in drafts)
        {
            if (SnoozeFor(active, draft) is { } snooze)
            {
                metrics.CardSnoozed(call.ServiceId, draft.RuleId);
                logger.LogInformation(
                    "Hook {HookInstance} service {ServiceId}: card {RuleId} for the {Side} {Joint} snoozed (overridden {OverriddenAt:u})",
                    call.HookInstance,
                    call.ServiceId,
                    draft.RuleId,
                    draft.Subject.SideCode,
                    draft.Subject.JointCode,
                    snooze.OverriddenAt);
            }
            else
            {
                kept.Add(draft);
            }
        }

        return new ScreenedCards(kept, mode, patientKey);
    }

    public CdsResponse Record(LedgerCall call, ScreenedCards screened, CdsResponse mapped)
    {
        if (queue is not null && screened.PatientKey is { } patientKey)
        {
            if (mapped.Cards.Count != screened.Drafts.Count)
            {
                logger.LogError(
                    "Hook {HookInstance}: {Cards} cards for {Drafts} drafts; the cards of this call are not recorded",
                    call.HookInstance, mapped.Cards.Count, screened.Drafts.Count);
            }
            else
            {
                var now = clock.UtcNow;
                for (var i = 0; i < mapped.Cards.Count; i++)
                {
                    queue.TryEnqueue(IssuedCards.From(call, screened.Drafts[i], mapped.Cards[i], screened.Mode, now, patientKey));
                }
            }
        }

        if (screened.Mode == CardMode.Live)
        {
            return mapped;
        }

        if (mapped.Cards.Count > 0)
        {
            logger.LogInformation(
                "Hook {HookInstance} service {ServiceId} in shadow mode: {Count} cards recorded, none returned ({Rules})",
                call.HookInstance, call.ServiceId, mapped.Cards.Count, string.Join(", ", screened.Drafts.Select(draft => draft.RuleId)));
        }

        return CdsResponse.Empty;
    }

    private static Snooze? SnoozeFor(IReadOnlyList<Snooze> active, CardDraft draft) =>
        active.FirstOrDefault(snooze =>
            snooze.RuleId == draft.RuleId && snooze.Joint == draft.Subject.JointCode && snooze.Side == draft.Subject.SideCode);
}
