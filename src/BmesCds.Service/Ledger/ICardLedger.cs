using System.Security.Claims;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.Clinical.Engine;
using Hl7.Fhir.Model;

namespace BmesCds.Service.Ledger;

/// <summary>
/// What the hook path asks of the card ledger, once per answered call, between the pipeline and the answer: leave out
/// the cards snoozed for this patient, answer none in shadow mode, record every card returned or shadowed. Returns the
/// outcome to answer with. Never throws for a store problem and never waits for the store: snoozes come from the
/// in-memory <see cref="SnoozeIndex"/> and writes go through the queue.
/// </summary>
public interface ICardLedger
{
    Task<HookOutcome> IssueAsync(CdsServiceDefinition service, HookOutcome outcome, ClaimsPrincipal user, CancellationToken cancel);
}

/// <summary>The facts of one hook call the ledger records. The patient id is only ever hashed, never stored or logged.</summary>
public sealed record LedgerCall(
    string ServiceId,
    HookKind Hook,
    string HookInstance,
    string PatientId,
    string Client,
    IReadOnlyList<Resource> DraftOrders)
{
    /// <summary>The client is the authenticated CDS client's `iss`, or "anonymous" when authentication is off.</summary>
    public static string ClientOf(ClaimsPrincipal user) => user.FindFirst("iss")?.Value is { Length: > 0 } issuer ? issuer : "anonymous";
}
