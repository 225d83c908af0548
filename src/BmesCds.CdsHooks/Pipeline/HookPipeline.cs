using System.Diagnostics;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Requests;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Pipeline;

/// <summary>What a hook call needs from whoever runs it: the clinical "now", FHIR access (null offline), and checks.</summary>
/// <param name="Now">The evaluation instant the rules' windows count back from.</param>
/// <param name="Fetcher">Reads missing prefetch keys from fhirServer; null evaluates from the prefetch alone.</param>
/// <param name="Check">An optional check of the parsed request (incoming FHIR validation); an OperationOutcome refuses it (400).</param>
/// <param name="ReplaceAction">How suggestions that replace a draft order are written for this caller.</param>
public sealed record HookEnvironment(
    DateTimeOffset Now,
    IFhirFetcher? Fetcher = null,
    Func<HookRequest, OperationOutcome?>? Check = null,
    ReplaceAction ReplaceAction = ReplaceAction.DeleteAndCreate);

/// <summary>How long each step of a hook call took.</summary>
public sealed record HookTimings(TimeSpan Parse, TimeSpan Record, TimeSpan Evaluate, TimeSpan Cards)
{
    public TimeSpan Total => Parse + Record + Evaluate + Cards;
}

/// <summary>
/// A hook call from start to end: the answer (cards, or the refusal with its status) and everything that explains it:
/// the request, each prefetch key's source, the engine's judgements and the time of each step.
/// </summary>
public sealed record HookOutcome(
    int Status,
    ProtocolError? Error,
    OperationOutcome? Invalid,
    HookRequest? Request,
    CdsResponse? Response,
    Evaluation Evaluation,
    RecordResolution? Record,
    HookTimings Timings)
{
    public string? HookInstance => Request?.HookInstance;

    public IReadOnlyList<KeyReport> Keys => Record?.Keys ?? [];
}

/// <summary>
/// The one hook pipeline: request bytes -> parsed request -> prefetch plan -> record (prefetch + fetched) -> engine ->
/// cards. The service, the command line and the tests all run calls through it; a host adds only HTTP, authentication
/// and fetching (<see cref="IFhirFetcher"/>).
/// </summary>
public sealed class HookPipeline(FhirJsonWalker walker, PatientRecordResolver records, ICdsEngine engine, CardMapper cards, RequestLimits limits)
{
    /// <summary>A pipeline over the real engine, for hosts without dependency injection (the command line, tests).</summary>
    public static HookPipeline Create(
        BmesTerminology terminology,
        ClinicalOptions? clinical = null,
        CardOptions? cardOptions = null,
        RequestLimits? limits = null,
        PrefetchOptions? prefetch = null,
        Func<Guid>? newUuid = null)
    {
        var walker = new FhirJsonWalker(new RecordInterest(terminology));
        var planner = new PrefetchPlanner(new PrefetchTemplateSet(terminology), prefetch ?? new PrefetchOptions());
        var mapper = newUuid is null ? new CardMapper(cardOptions ?? new CardOptions()) : new CardMapper(cardOptions ?? new CardOptions(), newUuid);
        return new HookPipeline(
            walker, new PatientRecordResolver(planner, prefetch ?? new PrefetchOptions()), new BmesEngine(terminology, clinical ?? new ClinicalOptions()), mapper, limits ?? new RequestLimits());
    }

    public async Task<HookOutcome> InvokeAsync(ReadOnlyMemory<byte> body, CdsServiceDefinition service, HookEnvironment environment, CancellationToken cancel)
    {
        var started = Stopwatch.GetTimestamp();
        var parsed = HookRequestParser.Parse(body, service.Hook, limits, walker);
        var parseTime = Stopwatch.GetElapsedTime(started);
        if (parsed.Error is { } protocolError)
        {
            return Refused(protocolError, null, null, new HookTimings(parseTime, default, default, default));
        }

        var request = parsed.Value!;
        if (environment.Check?.Invoke(request) is { } invalid)
        {
            return new HookOutcome(400, null, invalid, request, null, Evaluation.Silent, null, new HookTimings(parseTime, default, default, default));
        }

        started = Stopwatch.GetTimestamp();
        var record = await records.ResolveAsync(request, environment.Fetcher, cancel).ConfigureAwait(false);
        var recordTime = Stopwatch.GetElapsedTime(started);
        if (record.Error is { } recordError)
        {
            return Refused(recordError, request, record, new HookTimings(parseTime, recordTime, default, default));
        }

        started = Stopwatch.GetTimestamp();
        Evaluation evaluation;
        using (PipelineActivities.StartEvaluation())
        {
            evaluation = engine.Judge(new EvaluationRequest(request.Context, request.DraftOrders, record.Record!, environment.Now));
        }

        var evaluateTime = Stopwatch.GetElapsedTime(started);

        started = Stopwatch.GetTimestamp();
        // The engine's replace suggestions, as one update of the draft order for callers that apply only updates.
        var drafts = ReplaceSuggestionRewriter.Rewrite(evaluation.Cards, request.DraftOrders, environment.ReplaceAction);
        var response = cards.ToResponse(drafts);
        var cardsTime = Stopwatch.GetElapsedTime(started);
        return new HookOutcome(200, null, null, request, response, evaluation, record, new HookTimings(parseTime, recordTime, evaluateTime, cardsTime));
    }

    private static HookOutcome Refused(ProtocolError error, HookRequest? request, RecordResolution? record, HookTimings timings) =>
        new(error.HttpStatus, error, null, request, null, Evaluation.Silent, record, timings);
}
