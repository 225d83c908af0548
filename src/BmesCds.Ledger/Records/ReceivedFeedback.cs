using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BmesCds.Ledger.Records;

/// <summary>
/// One feedback item as received. <paramref name="ItemKey"/> identifies the item's content (<see cref="KeyOf"/>): the same
/// item posted twice has the same key and is stored once.
/// </summary>
/// <param name="ItemKey">Identifies the item's content (see <see cref="KeyOf"/>).</param>
/// <param name="CardUuid">The card the feedback is about (as sent: it may name no issued card).</param>
/// <param name="ServiceId">The service whose feedback endpoint received it.</param>
/// <param name="Client">The CDS client's JWT `iss`, or "anonymous".</param>
/// <param name="Outcome">Accepted or overridden.</param>
/// <param name="AcceptedSuggestionIds">The suggestion uuids accepted (accepted only).</param>
/// <param name="ReasonSystem">The override reason's code system, when given.</param>
/// <param name="ReasonCode">The override reason's code, when given.</param>
/// <param name="ReasonDisplay">The override reason's display, when given.</param>
/// <param name="UserComment">The user's comment, cut to the configured length.</param>
/// <param name="OutcomeAt">The client's `outcomeTimestamp`.</param>
/// <param name="ReceivedAt">When this service received it (its own clock): snooze windows and delays count from it.</param>
public sealed record ReceivedFeedback(
    string ItemKey,
    string CardUuid,
    string ServiceId,
    string Client,
    RecordedOutcome Outcome,
    IReadOnlyList<string> AcceptedSuggestionIds,
    string? ReasonSystem,
    string? ReasonCode,
    string? ReasonDisplay,
    string? UserComment,
    DateTimeOffset OutcomeAt,
    DateTimeOffset ReceivedAt) : LedgerEntry
{
    /// <summary>
    /// SHA-256 (hex) of the item's content: card, outcome, accepted suggestions (in any order), reason, comment and
    /// outcome time. Neither the service nor the receipt time: a client retrying a post sends the same item.
    /// </summary>
    public static string KeyOf(
        string cardUuid,
        RecordedOutcome outcome,
        IEnumerable<string> acceptedSuggestionIds,
        string? reasonSystem,
        string? reasonCode,
        string? userComment,
        DateTimeOffset outcomeAt)
    {
        var text = new StringBuilder();
        foreach (var part in new[]
        {
            cardUuid,
            LedgerCodes.Of(outcome),
            string.Join('\u001f', acceptedSuggestionIds.Order(StringComparer.Ordinal)),
            reasonSystem ?? string.Empty,
            reasonCode ?? string.Empty,
            userComment ?? string.Empty,
            outcomeAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        })
        {
            // Length-prefixed, so that no two different items can concatenate to the same text.
            text.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append('\u001e');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
