using System.Security.Claims;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Requests;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical.Engine;
using BmesCds.Ledger.Records;
using Hl7.Fhir.Model;

namespace BmesCds.Service.Ledger;

/// <summary>
/// What the hook path asks of the card ledger, in two steps around the card mapper:
/// <see cref="ScreenAsync"/> before mapping (snooze, and the service's live/shadow mode), <see cref="Record"/> after it
/// (every card recorded; the answer to send, empty in shadow mode). Neither throws nor waits for the database.
/// </summary>
public interface ICardLedger
{
    Task<ScreenedCards> ScreenAsync(LedgerCall call, IReadOnlyList<CardDraft> drafts, CancellationToken cancel);

    /// <summary>Records the cards of <paramref name="mapped"/> (draft i is card i) and returns the response to send.</summary>
    CdsResponse Record(LedgerCall call, ScreenedCards screened, CdsResponse mapped);
}

/// <summary>The drafts to map (snoozed ones removed), the mode of the service, and the patient key when it was computed.</summary>
public sealed record ScreenedCards(IReadOnlyList<CardDraft> Drafts, CardMode Mode, string? PatientKey);

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
    public static LedgerCall From(CdsServiceDefinition service, HookRequest request, ClaimsPrincipal user) => new(
        service.Id,
        request.Context.Hook,
        request.HookInstance,
        request.Context.PatientId,
        ClientOf(user),
        request.DraftOrders);

    public static string ClientOf(ClaimsPrincipal user) => user.FindFirst("iss")?.Value is { Length: > 0 } issuer ? issuer : "anonymous";
}
