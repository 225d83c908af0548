using System.Text.Json;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Feedback;
using BmesCds.CdsHooks.Json;
using BmesCds.Service.Http;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.CdsServices;

/// <summary>
/// Accepts feedback on cards. Validation is complete here; storing it for analytics is a separate feature, so for
/// now each outcome is logged (card uuid and outcome only).
/// </summary>
public sealed class FeedbackReceiver(RequestBodyReader bodyReader, IOptions<RequestLimits> limits, ILogger<FeedbackReceiver> logger)
{
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

            foreach (var item in parsed.Value!.Items)
            {
                logger.LogInformation(
                    "Feedback for {ServiceId}: card {CardUuid} {Outcome} ({AcceptedCount} suggestions accepted)",
                    service.Id,
                    item.CardUuid,
                    item.Outcome,
                    item.AcceptedSuggestionIds.Count);
            }

            return TypedResults.Ok(new FeedbackReceipt(parsed.Value.Items.Count));
        }
    }

    /// <summary>How many feedback items were accepted.</summary>
    public sealed record FeedbackReceipt(int Received);
}
