using System.Security.Claims;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical.Engine;
using BmesCds.Ledger.Records;
using BmesCds.Ledger.Storage;

namespace BmesCds.Service.Ledger;

/// <summary>
/// The card ledger on the hook path. Snooze leaves out the cards whose rule was overridden for this patient's joint and
/// side within Ledger:SnoozeDays (a higher-priority rule firing makes a card with another topic, which is not snoozed).
/// Recording queues one row per card, live or shadow; in shadow mode the answer has no cards. With Ledger:Store None
/// (<paramref name="queue"/> null) nothing is snoozed or recorded; shadow mode still holds.
/// </summary>
public sealed class CardLedger(
    CardModes modes,
    PatientKey? patientKeys,
    SnoozeIndex? snoozes,
    LedgerQueue? queue,
    LedgerClock clock,
    LedgerMetrics metrics,
    ILogger<CardLedger> logger) : ICardLedger
{
    public Task<HookOutcome> IssueAsync(CdsServiceDefinition service, HookOutcome outcome, ClaimsPrincipal user, CancellationToken cancel) =>
        Task.FromResult(Issue(service, outcome, user));

    private HookOutcome Issue(CdsServiceDefinition service, HookOutcome outcome, ClaimsPrincipal user)
    {
        if (outcome is not { Response: { Cards.Count: > 0 } response, Request: { } request })
        {
            return outcome;
        }

        var drafts = outcome.Evaluation.Cards;
        if (drafts.Count != response.Cards.Count)
        {
            // The pipeline maps card i from draft i; anything else is a defect: answer as is, record nothing.
            logger.LogError(
                "Hook {HookInstance}: {Cards} cards for {Drafts} drafts; the cards of this call are not recorded",
                request.HookInstance, response.Cards.Count, drafts.Count);
            return outcome;
        }

        var call = new LedgerCall(service.Id, request.Context.Hook, request.HookInstance, request.Context.PatientId, LedgerCall.ClientOf(user), request.DraftOrders);
        var mode = modes.For(service.Id);
        var patientKey = patientKeys?.Of(call.PatientId);
        var active = patientKey is null || snoozes is null ? [] : snoozes.For(patientKey);
        var issued = new List<Card>(response.Cards.Count);
        var now = clock.UtcNow;
        for (var i = 0; i < drafts.Count; i++)
        {
            if (SnoozeFor(active, drafts[i]) is { } snooze)
            {
                LogSnoozed(call, drafts[i], snooze);
                continue;
            }

            issued.Add(response.Cards[i]);
            if (queue is not null && patientKey is not null)
            {
                queue.TryEnqueue(IssuedCards.From(call, drafts[i], response.Cards[i], mode, now, patientKey));
            }
        }

        if (mode == CardMode.Shadow)
        {
            if (issued.Count > 0)
            {
                logger.LogInformation(
                    "Hook {HookInstance} service {ServiceId} in shadow mode: {Count} cards recorded, none returned ({Rules})",
                    call.HookInstance, call.ServiceId, issued.Count, string.Join(", ", issued.Select(card => card.Source.Topic?.Code)));
            }

            return outcome with { Response = CdsResponse.Empty };
        }

        return issued.Count == response.Cards.Count ? outcome : outcome with { Response = new CdsResponse(issued) };
    }

    private void LogSnoozed(LedgerCall call, CardDraft draft, Snooze snooze)
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

    private static Snooze? SnoozeFor(IReadOnlyList<Snooze> active, CardDraft draft) =>
        active.FirstOrDefault(snooze =>
            snooze.RuleId == draft.RuleId && snooze.Joint == draft.Subject.JointCode && snooze.Side == draft.Subject.SideCode);
}
