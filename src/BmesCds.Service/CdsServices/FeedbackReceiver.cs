using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Feedback;
using BmesCds.Service.Http;

namespace BmesCds.Service.CdsServices;

/// <summary>
/// Accepts feedback on cards. Validation is complete here; storing it for analytics is a separate feature, so for
/// now each outcome is logged (card uuid and outcome only).
/// </summary>
public sealed class FeedbackReceiver(JsonBodyReader bodyReader, ILogger<FeedbackReceiver> logger)
{
    public async Task<IResult> ReceiveAsync(CdsServiceDefinition service, HttpRequest httpRequest, CancellationToken cancel)
    {
        var (document, bodyError) = await bodyReader.ReadAsync(httpRequest, cancel);
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (document)
        {
            var parsed = FeedbackParser.Parse(document!.RootElement);
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
