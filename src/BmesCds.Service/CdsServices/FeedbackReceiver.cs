using System.Buffers;
using System.Text.Json;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Feedback;
using BmesCds.CdsHooks.Json;
using BmesCds.Service.Http;
using BmesCds.Service.Ledger;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.CdsServices;

/// <summary>
/// Accepts feedback on cards: validates it, records each item in the card ledger (queued, never waited for) and logs one
/// bounded line per item. The answer does not depend on the ledger: a store that is down loses the item, counted.
/// </summary>
public sealed class FeedbackReceiver(
    RequestBodyReader bodyReader,
    IOptions<RequestLimits> limits,
    FeedbackRecorder recorder,
    ILogger<FeedbackReceiver> logger)
{
    private const int MaxLoggedIdLength = 64;

    private static readonly SearchValues<char> IdCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    public async Task<IResult> ReceiveAsync(CdsServiceDefinition service, HttpRequest httpRequest, CancellationToken cancel)
    {
        var read = await bodyReader.ReadAsync(httpRequest, cancel);
        if (read.ClientGone)
        {
            return Results.Empty;
        }

        if (read.Error is { } bodyError)
        {
            return bodyError;
        }

        using var body = read.Body!;
        if (JsonText.Check(body.Memory.Span, limits.Value.MaxJsonDepth) is { } brokenText)
        {
            return FhirOutcome.From(brokenText);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Memory, new JsonDocumentOptions { MaxDepth = limits.Value.MaxJsonDepth });
        }
        catch (JsonException)
        {
            return FhirOutcome.From(new CdsHooks.Requests.ProtocolError(string.Empty, "the body is not valid JSON"));
        }

        using (document)
        {
            var parsed = FeedbackParser.Parse(document.RootElement);
            if (parsed.Error is { } error)
            {
                logger.LogInformation("Feedback for {ServiceId} refused: {Problem}", service.Id, error.ToString());
                return FhirOutcome.From(error);
            }

            var client = LedgerCall.ClientOf(httpRequest.HttpContext.User);
            foreach (var item in parsed.Value!.Items)
            {
                recorder.Record(service.Id, client, item);

                // Bounded: the card uuid and reason code only when they look like ids; the comment never.
                logger.LogInformation(
                    "Feedback for {ServiceId}: card {CardUuid} {Outcome} ({AcceptedCount} suggestions accepted, reason {ReasonCode}{Comment})",
                    service.Id,
                    LogSafe(item.CardUuid),
                    item.Outcome,
                    item.AcceptedSuggestionIds.Count,
                    item.OverrideReason?.ReasonCode is { } code ? LogSafe(code) : "none",
                    item.OverrideReason?.UserComment is null ? string.Empty : ", with a comment");
            }

            return TypedResults.Ok(new FeedbackReceipt(parsed.Value.Items.Count));
        }
    }

    private static string LogSafe(string id) =>
        id.Length is > 0 and <= MaxLoggedIdLength && !id.AsSpan().ContainsAnyExcept(IdCharacters)
            ? id
            : $"(not an id: {id.Length} characters)";

    /// <summary>How many feedback items were accepted.</summary>
    public sealed record FeedbackReceipt(int Received);
}
