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
using BmesCds.Service.Telemetry;
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
    ClinicalClock clock,
    BmesMetrics metrics,
    ILogger<HookInvocation> logger)
{
    // Telemetry hook points (issue 14) are marked [telemetry]: the pipeline of issue 11 carries them over.
    private static readonly Func<ILogger, string, IDisposable?> HookInstanceScope = LoggerMessage.DefineScope<string>("HookInstance:{HookInstance}");

    public async Task<IResult> InvokeAsync(CdsServiceDefinition service, HttpRequest httpRequest, CancellationToken cancel)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = BmesActivitySource.StartHook(service); // [telemetry] the hook span
        (IResult Result, string? HookInstance, int Cards) run;
        try
        {
            run = await RunAsync(service, httpRequest, span, cancel);
        }
        catch (Exception) when (!cancel.IsCancellationRequested)
        {
            // [telemetry] the error handler answers 500: count it with the others, then let it go on.
            metrics.HookAnswered(service, StatusCodes.Status500InternalServerError, Stopwatch.GetElapsedTime(started));
            BmesActivitySource.Answered(span, StatusCodes.Status500InternalServerError, 0);
            throw;
        }

        var (result, hookInstance, cardCount) = run;
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.HookAnswered(service, status, elapsed); // [telemetry] hook duration by service, hook, status
        BmesActivitySource.Answered(span, status, cardCount); // [telemetry]

        // Ids of the hook call and the service only: never tokens or patient data.
        logger.LogInformation(
            "Hook {HookInstance} service {ServiceId} answered {Status} with {CardCount} cards in {DurationMs:F1} ms",
            hookInstance ?? "-",
            service.Id,
            status,
            cardCount,
            elapsed.TotalMilliseconds);
        return result;
    }

    private async Task<(IResult Result, string? HookInstance, int Cards)> RunAsync(
        CdsServiceDefinition service, HttpRequest httpRequest, Activity? span, CancellationToken cancel)
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
            using var scope = HookInstanceScope(logger, request.HookInstance); // [telemetry] hookInstance on every log line from here
            BmesActivitySource.Identify(span, request.HookInstance); // [telemetry]
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

            Evaluation evaluation;
            using (BmesActivitySource.StartEvaluation()) // [telemetry] the evaluation span
            {
                evaluation = engine.Judge(new EvaluationRequest(
                    request.Context, request.DraftOrders, resolution.Record!, clock.UtcNow));
            }

            metrics.Judged(service, evaluation); // [telemetry] cards by rule, silences by reason (mode live until the ledger's shadow mode)
            var response = cards.ToResponse(evaluation.Cards);
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
