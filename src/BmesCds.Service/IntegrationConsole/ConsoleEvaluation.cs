using System.Text.Json.Nodes;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Explanation;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Requests;
using BmesCds.Service.CdsServices;
using BmesCds.Service.Hosting;
using BmesCds.Service.Http;
using BmesCds.Service.PatientData;
using BmesCds.Service.Telemetry;
using BmesCds.Service.Validation;
using Hl7.Fhir.Model;

namespace BmesCds.Service.IntegrationConsole;

/// <summary>
/// POST /console/evaluate: a hook request run through the same <see cref="HookPipeline"/> as a service call, with the
/// same body limits (413, 415), request limits, incoming validation, FHIR server policy and fetcher, and answered with
/// the call's status and an <see cref="ExplainedAnswer"/>. The service is the one of the request's hook. What the
/// console evaluates is not an EHR's call: it is not recorded in the card ledger (so no snooze, no shadow mode) and
/// not counted in the hook metrics. The FHIR server policy sees no CDS client here: with authentication on, a
/// fhirServer is never used from the console (every key must be in the prefetch); without, Fhir:AllowedServers applies.
/// </summary>
public sealed partial class ConsoleEvaluation(
    RequestBodyReader bodyReader,
    HookPipeline pipeline,
    FhirSearchClient fetcher,
    IncomingValidator incomingValidator,
    ReplaceActionSelector replaceActions,
    ClinicalClock clock,
    RequestLimits limits,
    ILogger<ConsoleEvaluation> logger)
{
    private readonly TracedFhirFetcher _fetcher = new(fetcher);

    public async Task<IResult> EvaluateAsync(HttpRequest httpRequest, DateTimeOffset? now, CancellationToken cancel)
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
        var hook = RequestedHook.Read(body.Memory.Span, limits.MaxJsonDepth);
        if (hook is not null && HookNames.Parse(hook) is null)
        {
            return FhirOutcome.Create(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotSupported,
                $"hook: '{Printable(hook)}' is not a hook BmesCds answers ({string.Join(", ", CdsServiceCatalogue.All.Select(s => HookNames.Of(s.Hook)))})", "hook");
        }

        // Without a readable hook the first service's parser reports what is wrong, exactly as a service call would.
        var service = hook is null ? CdsServiceCatalogue.All[0] : CdsServiceCatalogue.ForHook(HookNames.Parse(hook)!.Value);
        var at = now ?? clock.UtcNow;
        var environment = new HookEnvironment(
            at, _fetcher, incomingValidator.IsOn ? incomingValidator.Check : null, replaceActions.For(httpRequest.HttpContext));
        var outcome = await pipeline.InvokeAsync(body.Memory, service, environment, cancel);

        // Built while the body is alive: the outcome's request and findings point into it.
        var explanation = HookExplainer.Explain(outcome, service, at);
        var refusal = outcome switch
        {
            { Response: not null } => null,
            { Invalid: { } invalid } => invalid,
            _ => FhirOutcome.From(outcome.Error!).Outcome,
        };
        var answer = ExplainedAnswer.Of(outcome, explanation, refusal is null ? null : JsonNode.Parse(FhirJson.ToUtf8(refusal)));
        LogEvaluated(logger, outcome.HookInstance ?? "-", service.Id, outcome.Status, outcome.Response?.Cards.Count ?? 0, outcome.Timings.Total.TotalMilliseconds);
        return TypedResults.Json(answer, CdsJson.Options, statusCode: outcome.Status);
    }

    // The hook comes from the caller: echo a short, printable form of it.
    private static string Printable(string text) => new([.. text.Take(64).Where(c => !char.IsControl(c))]);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console evaluated hook {HookInstance} with service {ServiceId}: {Status}, {CardCount} cards in {DurationMs:F1} ms")]
    private static partial void LogEvaluated(ILogger logger, string hookInstance, string serviceId, int status, int cardCount, double durationMs);
}
