using System.Diagnostics;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Requests;
using BmesCds.Service.Hosting;
using BmesCds.Service.Http;
using BmesCds.Service.Ledger;
using BmesCds.Service.PatientData;
using BmesCds.Service.Telemetry;
using BmesCds.Service.Validation;
using Hl7.Fhir.Model;

namespace BmesCds.Service.CdsServices;

/// <summary>
/// One service call over HTTP: read the body, run it through the <see cref="HookPipeline"/> with this host's FHIR
/// fetcher and incoming validation, answer, and log one line. Everything between the bytes and the cards is the
/// pipeline's. The call is measured here, from the first byte read to the answer (duration, status, the hook span).
/// </summary>
public sealed partial class HookInvocation(
    RequestBodyReader bodyReader,
    HookPipeline pipeline,
    FhirSearchClient fetcher,
    IncomingValidator incomingValidator,
    ReplaceActionSelector replaceActions,
    ClinicalClock clock,
    ICardLedger ledger,
    IEnumerable<IHookCallObserver> observers,
    BmesMetrics metrics,
    ILogger<HookInvocation> logger)
{
    // Each fetch in a span of its own (only when traces are recorded).
    private readonly TracedFhirFetcher _fetcher = new(fetcher);
    private Func<HookRequest, OperationOutcome?>? _check;

    public async Task<IResult> InvokeAsync(CdsServiceDefinition service, HttpRequest httpRequest, CancellationToken cancel)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = BmesActivitySource.StartHook(service);
        IResult answer;
        int cards;
        try
        {
            (answer, cards) = await AnswerAsync(service, httpRequest, span, cancel);
        }
        catch (Exception) when (!cancel.IsCancellationRequested)
        {
            // The error handler answers 500: measured with the others, then the exception goes on to it.
            metrics.HookAnswered(service, StatusCodes.Status500InternalServerError, Stopwatch.GetElapsedTime(started));
            BmesActivitySource.Answered(span, StatusCodes.Status500InternalServerError, 0);
            throw;
        }

        var status = (answer as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        metrics.HookAnswered(service, status, Stopwatch.GetElapsedTime(started));
        BmesActivitySource.Answered(span, status, cards);
        return answer;
    }

    private async Task<(IResult Answer, int Cards)> AnswerAsync(CdsServiceDefinition service, HttpRequest httpRequest, Activity? span, CancellationToken cancel)
    {
        var read = await bodyReader.ReadAsync(httpRequest, cancel);
        if (read.ClientGone)
        {
            LogClientGone(logger, service.Id);
            return (Results.Empty, 0);
        }

        if (read.Error is { } bodyError)
        {
            LogRefused(logger, "-", service.Id, bodyError.StatusCode, bodyError.Outcome.Issue[0].Code?.ToString() ?? "-", "(body)");
            return (bodyError, 0);
        }

        using var body = read.Body!;
        // Issue 15: the caller's replace action (its own, else Cards:ReplaceAction) travels with the call.
        var environment = new HookEnvironment(clock.UtcNow, _fetcher, _check ??= CheckInScope, replaceActions.For(httpRequest.HttpContext));
        var outcome = await pipeline.InvokeAsync(body.Memory, service, environment, cancel);

        // Card ledger (issue 13): snoozed cards left out, none answered in shadow mode, every card returned or shadowed recorded.
        outcome = await ledger.IssueAsync(service, outcome, httpRequest.HttpContext.User, cancel);
        BmesActivitySource.Identify(span, outcome.HookInstance);

        // The hookInstance is a scope of every line logged from here on (and of the validator's, see CheckInScope).
        using var scope = outcome.HookInstance is { } hookInstance ? HookInstanceScope(logger, hookInstance) : null;
        foreach (var observer in observers)
        {
            observer.OnCompleted(service, outcome);
        }

        IResult answer = outcome switch
        {
            { Response: { } response } => TypedResults.Json(response, CdsJson.Options),
            { Invalid: { } invalid } => new FhirOutcome(StatusCodes.Status400BadRequest, invalid),
            _ => FhirOutcome.From(outcome.Error!),
        };
        Log(service, outcome, answer as FhirOutcome);
        return (answer, outcome.Response?.Cards.Count ?? 0);
    }

    // Incoming validation logs its warnings with the hookInstance scope too.
    private OperationOutcome? CheckInScope(HookRequest request)
    {
        if (!incomingValidator.IsOn)
        {
            return null;
        }

        using var scope = HookInstanceScope(logger, request.HookInstance);
        return incomingValidator.Check(request);
    }

    // Ids of the hook call and the service, the status and the places at fault: never tokens or patient data.
    private void Log(CdsServiceDefinition service, HookOutcome outcome, FhirOutcome? refusal)
    {
        foreach (var key in outcome.Keys)
        {
            if (key.Fetch is { } fetch)
            {
                LogFetch(logger, outcome.HookInstance ?? "-", key.Key, fetch.Outcome, fetch.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    fetch.Pages, key.Resources, fetch.Duration.TotalMilliseconds);
            }
            else if (key.Source == KeySource.Failed && outcome.Status == StatusCodes.Status200OK)
            {
                LogDegraded(logger, outcome.HookInstance ?? "-", key.Key);
            }
        }

        if (outcome.Record?.Assembly is { Tolerated.Count: > 0 } assembly && logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var issue in assembly.Tolerated)
            {
                // The error code and the element path: never the resource's id or a value.
                LogTolerated(logger, outcome.HookInstance ?? "-", issue.Code, issue.Location);
            }
        }

        if (outcome.Request is { DraftOrderReadIssues.Count: > 0 } request && logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var issue in request.DraftOrderReadIssues)
            {
                LogTolerated(logger, request.HookInstance, issue.Code, issue.Location);
            }
        }

        if (refusal is not null)
        {
            // Issue code and location only: validator diagnostics can quote values (patient data).
            var issue = refusal.Outcome.Issue[0];
            LogRefused(logger, outcome.HookInstance ?? "-", service.Id, refusal.StatusCode, issue.Code?.ToString() ?? "-", string.Join(", ", issue.Expression.Concat(issue.Location)));
        }

        LogAnswered(logger, outcome.HookInstance ?? "-", service.Id, outcome.Status, outcome.Response?.Cards.Count ?? 0, outcome.Timings.Total.TotalMilliseconds);
    }

    private static readonly Func<ILogger, string, IDisposable?> HookInstanceScope = LoggerMessage.DefineScope<string>("HookInstance:{HookInstance}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Hook {HookInstance} service {ServiceId} answered {Status} with {CardCount} cards in {DurationMs:F1} ms")]
    private static partial void LogAnswered(ILogger logger, string hookInstance, string serviceId, int status, int cardCount, double durationMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hook {HookInstance} service {ServiceId}: request refused with {Status}: {IssueCode} at {Location}")]
    private static partial void LogRefused(ILogger logger, string hookInstance, string serviceId, int status, string issueCode, string location);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Hook {HookInstance} fetched prefetch key {PrefetchKey}: {FetchOutcome}, HTTP {FetchStatus}, {Pages} pages, {ResourceCount} resources in {DurationMs:F1} ms")]
    private static partial void LogFetch(ILogger logger, string hookInstance, string prefetchKey, string fetchOutcome, string fetchStatus, int pages, int resourceCount, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Hook {HookInstance}: prefetch key {PrefetchKey} could not be had; going on without it (Fhir:OptionalKeysOnFailure = Degrade)")]
    private static partial void LogDegraded(ILogger logger, string hookInstance, string prefetchKey);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hook {HookInstance}: tolerated FHIR issue {IssueCode} at {Location}")]
    private static partial void LogTolerated(ILogger logger, string hookInstance, string issueCode, string location);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Service {ServiceId}: the client went away before its request body was complete")]
    private static partial void LogClientGone(ILogger logger, string serviceId);
}

/// <summary>Told of every completed hook call (after the pipeline, before the answer is written): metrics, ledger, tests.</summary>
public interface IHookCallObserver
{
    void OnCompleted(CdsServiceDefinition service, HookOutcome outcome);
}
