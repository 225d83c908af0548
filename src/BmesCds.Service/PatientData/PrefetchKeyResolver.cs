using System.Diagnostics;
using BmesCds.CdsHooks.Requests;
using BmesCds.Service.Telemetry;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.PatientData;

/// <summary>One key's resources, or why there are none (NoDataWhy) or why it could not be had (Failure).</summary>
public sealed record KeyOutcome(string Key, IReadOnlyList<SourcedResource> Resources, string? Failure = null, string? NoDataWhy = null);

/// <summary>
/// Carries out one key's plan: prefetched data as is, the rest fetched from fhirServer (https unless allowed) within
/// the call's time budget. Logs one line per fetch: key, outcome, status, pages, resources, duration and the
/// hookInstance; never the URL (it holds the patient id), the token or any resource.
/// </summary>
public sealed class PrefetchKeyResolver(
    FhirSearchClient client, IOptions<FhirFetchOptions> options, BmesMetrics metrics, ILogger<PrefetchKeyResolver> logger)
{
    /// <param name="plan">What to do for the key.</param>
    /// <param name="request">The hook call (fhirServer, token, hookInstance for the log).</param>
    /// <param name="budget">Cancelled when the call's time budget runs out (or the call is aborted).</param>
    /// <param name="aborted">Cancelled only when the caller gave up; then the fetch is abandoned, not reported.</param>
    public async Task<KeyOutcome> ResolveAsync(KeyPlan plan, HookRequest request, CancellationToken budget, CancellationToken aborted)
    {
        switch (plan)
        {
            case NoData none:
                return new KeyOutcome(plan.Key, [], NoDataWhy: none.Why);
            case Unobtainable refused:
                return new KeyOutcome(plan.Key, [], Failure: refused.Why);
            case UsePrefetched { NextPage: null } prefetched:
                return new KeyOutcome(plan.Key, prefetched.Resources);
        }

        if (request.FhirServer is null)
        {
            return new KeyOutcome(plan.Key, [], $"{WhyFetch(plan)}, and the request has no fhirServer to fetch it from");
        }

        var server = new FhirServerEndpoint(request.FhirServer, request.FhirAuthorization);
        if (!server.IsHttps && !options.Value.AllowHttp)
        {
            return new KeyOutcome(plan.Key, [], $"{WhyFetch(plan)}, and fhirServer is plain http, which this deployment does not use (https is required; Fhir:AllowHttp)");
        }

        var fetch = plan switch
        {
            UsePrefetched prefetched => new FetchRequest(
                plan.Key, plan.Template, server.Resolve(prefetched.NextPage!.OriginalString), null, 1, prefetched.Resources.Count),
            FetchFromServer fetching => new FetchRequest(
                plan.Key, plan.Template, server.Resolve(fetching.Query), ReadTypeOf(fetching.Query)),
            _ => throw new InvalidOperationException($"Unknown plan {plan.GetType().Name}"),
        };
        var before = plan is UsePrefetched used ? used.Resources : [];
        var started = Stopwatch.GetTimestamp();
        using var span = BmesActivitySource.StartFetch(plan.Key); // [telemetry] one span per fetch, child of the hook span
        try
        {
            var result = await client.FetchAsync(server, fetch, budget);
            Log(request, plan.Key, result.Failure is not null ? "failed" : result.NotFound ? "not-found" : "ok", result.LastStatus, result.Pages, result.Resources.Count, started, span);
            return result switch
            {
                { Failure: { } failure } => new KeyOutcome(plan.Key, [], failure),
                { NotFound: true } => new KeyOutcome(
                    plan.Key, before, NoDataWhy: $"the FHIR server has no {plan.Template} ({result.LastStatus} {ReasonPhrases.GetReasonPhrase(result.LastStatus ?? 404)})"),
                _ => new KeyOutcome(plan.Key, [.. before, .. result.Resources]),
            };
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            Log(request, plan.Key, "timed-out", null, 0, 0, started, span);
            return new KeyOutcome(
                plan.Key, [], $"still pending when the {options.Value.TimeBudgetSeconds:0.###} s time budget for the FHIR server ran out ({plan.Template})");
        }
    }

    private static string WhyFetch(KeyPlan plan) => plan switch
    {
        FetchFromServer fetching => fetching.Why,
        _ => "the prefetched Bundle has a next page",
    };

    // "Patient/123" is a read of a Patient; anything with a query is a search.
    private static string? ReadTypeOf(string query) =>
        query.Contains('?', StringComparison.Ordinal) ? null : query.Split('/')[0];

    private void Log(HookRequest request, string key, string outcome, int? status, int pages, int resources, long started, Activity? span)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.Fetched(key, outcome, pages, elapsed); // [telemetry] fetch duration and pages by key and outcome
        BmesActivitySource.Fetched(span, outcome, status, pages, resources); // [telemetry]
        logger.LogInformation(
            "Hook {HookInstance} fetched prefetch key {PrefetchKey}: {FetchOutcome}, HTTP {FetchStatus}, {Pages} pages, {ResourceCount} resources in {DurationMs:F1} ms",
            request.HookInstance,
            key,
            outcome,
            status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            pages,
            resources,
            elapsed.TotalMilliseconds);
    }
}
