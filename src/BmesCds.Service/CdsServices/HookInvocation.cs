using System.Diagnostics;
using System.Text.Json;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Requests;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Fhir;
using BmesCds.Service.Hosting;
using BmesCds.Service.Http;
using BmesCds.Service.PatientData;
using BmesCds.Service.Validation;

namespace BmesCds.Service.CdsServices;

/// <summary>
/// One service call, start to end: read the body, parse the request, get the patient's record, run the engine,
/// write the cards. Each step is another class's job; this one only sequences them and logs the outcome.
/// </summary>
public sealed class HookInvocation(
    JsonBodyReader bodyReader,
    IncomingValidator incomingValidator,
    IPatientRecordSource records,
    ICdsEngine engine,
    CardMapper cards,
    ReplaceActionSelector replaceActions,
    ClinicalClock clock,
    ILogger<HookInvocation> logger)
{
    public async Task<IResult> InvokeAsync(CdsServiceDefinition service, HttpRequest httpRequest, CancellationToken cancel)
    {
        var started = Stopwatch.GetTimestamp();
        var (result, hookInstance, cardCount) = await RunAsync(service, httpRequest, cancel);

        // Ids of the hook call and the service only: never tokens or patient data.
        logger.LogInformation(
            "Hook {HookInstance} service {ServiceId} answered {Status} with {CardCount} cards in {DurationMs:F1} ms",
            hookInstance ?? "-",
            service.Id,
            (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK,
            cardCount,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    private async Task<(IResult Result, string? HookInstance, int Cards)> RunAsync(
        CdsServiceDefinition service, HttpRequest httpRequest, CancellationToken cancel)
    {
        var (document, bodyError) = await bodyReader.ReadAsync(httpRequest, cancel);
        if (bodyError is not null)
        {
            return (Logged(bodyError), null, 0);
        }

        using (document)
        {
            var parsed = HookRequestParser.Parse(document!.RootElement, service.Hook);
            if (parsed.Error is { } protocolError)
            {
                return (Logged(FhirOutcome.From(protocolError)), HookInstanceOf(document.RootElement), 0);
            }

            var request = parsed.Value!;
            LogReadIssues(request);
            if (incomingValidator.Validate(request.DraftOrders, PrefetchResources(request)) is { } invalid)
            {
                return (Logged(new FhirOutcome(StatusCodes.Status400BadRequest, invalid)), request.HookInstance, 0);
            }

            var resolution = await records.ResolveAsync(request, cancel);
            if (resolution.Error is { } recordError)
            {
                return (Logged(FhirOutcome.From(recordError)), request.HookInstance, 0);
            }

            var drafts = engine.Evaluate(new EvaluationRequest(
                request.Context, request.DraftOrders, resolution.Record!, clock.UtcNow));

            // Hook point (issue 15, replace as an update per client): between the engine and the card mapper.
            drafts = ReplaceSuggestionRewriter.Rewrite(drafts, request.DraftOrders, replaceActions.For(httpRequest.HttpContext));
            // End of hook point.
            var response = cards.ToResponse(drafts);
            return (TypedResults.Json(response, CdsHooks.Json.CdsJson.Options), request.HookInstance, response.Cards.Count);
        }
    }

    private FhirOutcome Logged(FhirOutcome outcome)
    {
        // Issue code and location only: validator diagnostics can quote values (patient data).
        var issue = outcome.Outcome.Issue[0];
        logger.LogInformation(
            "Request refused with {Status}: {IssueCode} at {Location}",
            outcome.StatusCode,
            issue.Code,
            string.Join(", ", issue.Expression.Concat(issue.Location)));
        return outcome;
    }

    private void LogReadIssues(HookRequest request)
    {
        foreach (var issue in request.DraftOrderReadIssues)
        {
            logger.LogDebug(
                "Hook {HookInstance}: tolerated FHIR issue {IssueCode} at {Location}", request.HookInstance, issue.Code, issue.Location);
        }
    }

    // Deferred: prefetch is parsed whole only when Validation:Incoming asks for it (not Off, validator warm).
    private static IEnumerable<KeyValuePair<string, Hl7.Fhir.Model.Resource>> PrefetchResources(HookRequest request) =>
        request.Prefetch
            .Where(pair => pair.Value.Kind == PrefetchValueKind.Resource)
            .Select(pair => (pair.Key, LenientFhirReader.Read(pair.Value.Json).Resource))
            .Where(pair => pair.Resource is not null)
            .Select(pair => KeyValuePair.Create(pair.Key, pair.Resource!));

    // Only for the log line of a refused request: the hookInstance if it is a plain, safe string.
    private static string? HookInstanceOf(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("hookInstance", out var value)
        && value.ValueKind == JsonValueKind.String
        && value.GetString() is { Length: <= 64 } text
        && Guid.TryParse(text, out _)
            ? text
            : null;
}
