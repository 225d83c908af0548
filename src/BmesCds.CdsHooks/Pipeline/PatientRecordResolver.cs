using System.Diagnostics;
using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Engine;

namespace BmesCds.CdsHooks.Pipeline;

/// <summary>Where one prefetch key's data came from, for the log, metrics and the explanation.</summary>
public enum KeySource
{
    /// <summary>The client prefetched it.</summary>
    Prefetched,

    /// <summary>Fetched from fhirServer (all of it, or the pages after a prefetched first page).</summary>
    Fetched,

    /// <summary>No data: the client sent null, a template token has no value, or the server has none (404).</summary>
    NoData,

    /// <summary>Could not be had (see the key's Detail).</summary>
    Failed,

    /// <summary>Not fetched because the call has no FHIR access (offline evaluation): treated as no data.</summary>
    NotFetched,
}

/// <summary>One key of a hook call: where its data came from and, when fetched, how the fetch went.</summary>
/// <param name="Key">The prefetch key.</param>
/// <param name="Source">Where its data came from.</param>
/// <param name="Resources">How many resources it gave (all of them, read or not).</param>
/// <param name="Detail">Why there is no data, or why it failed; null otherwise.</param>
/// <param name="Fetch">The fetch, when there was one.</param>
/// <param name="Field">For a failure inside the server's answer, where it is; else the failure names the key.</param>
public sealed record KeyReport(string Key, KeySource Source, int Resources, string? Detail, FetchReport? Fetch, string? Field = null);

/// <summary>A fetch from fhirServer: outcome ("ok", "not-found", "failed", "timed-out"), last HTTP status, pages, time.</summary>
public sealed record FetchReport(string Outcome, int? Status, int Pages, TimeSpan Duration);

/// <summary>The record for a hook call, or the 400/412 that stops it; and, either way, what each key gave.</summary>
/// <param name="Record">The record the engine reads.</param>
/// <param name="Error">Why there is no record.</param>
/// <param name="Keys">Each prefetch key's source.</param>
/// <param name="Assembly">The assembly (resources read, issues tolerated), when it ran.</param>
/// <param name="Sources">Every resource found for the call, read or not, in key order (valid while the request's body is).</param>
public sealed record RecordResolution(
    PatientRecord? Record, ProtocolError? Error, IReadOnlyList<KeyReport> Keys, RecordAssembly? Assembly, IReadOnlyList<SourcedResources> Sources);

/// <summary>
/// The patient's record for a hook call: what the client prefetched, completed from fhirServer (through the host's
/// <see cref="IFhirFetcher"/>) in parallel within one time budget, all handed to the same assembler. The patient is
/// required; a failed other key is a 412 too, unless Fhir:OptionalKeysOnFailure is Degrade. Failures name the key and
/// the reason, never the token. Without a fetcher (offline evaluation) keys that would be fetched are empty.
/// </summary>
public sealed class PatientRecordResolver(PrefetchPlanner planner, PrefetchOptions options)
{
    // A struct: one per prefetch key per call.
    private readonly record struct KeyOutcome(KeyReport Report, IReadOnlyList<SourcedResources> Resources)
    {
        public string? Failure => Report.Source == KeySource.Failed ? Report.Detail : null;
    }

    public async Task<RecordResolution> ResolveAsync(HookRequest request, IFhirFetcher? fetcher, CancellationToken cancel)
    {
        var plans = planner.Plan(request);
        var outcomes = new KeyOutcome[plans.Count];
        List<(int Index, Task<KeyOutcome> Fetch)>? fetches = null;
        CancellationTokenSource? budget = null;
        try
        {
            for (var i = 0; i < plans.Count; i++)
            {
                if (Immediate(plans[i], request, fetcher) is { } outcome)
                {
                    outcomes[i] = outcome;
                    continue;
                }

                if (budget is null)
                {
                    budget = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                    budget.CancelAfter(options.TimeBudget);
                }

                (fetches ??= []).Add((i, FetchAsync(plans[i], request, fetcher!, budget.Token, cancel)));
            }

            foreach (var (index, fetch) in fetches ?? [])
            {
                outcomes[index] = await fetch.ConfigureAwait(false);
            }

            // Issue 16 (C6) hook: Medications that medicationReferences name and no key delivered, read from fhirServer.
            if (fetcher is not null && ReferencedMedications.Missing(outcomes.Select(o => (o.Report.Key, o.Resources)), request) is { Count: > 0 } missing)
            {
                if (budget is null)
                {
                    budget = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                    budget.CancelAfter(options.TimeBudget);
                }

                var read = await ReferencedMedications.ReadAsync(missing, request, fetcher, options, budget.Token, cancel).ConfigureAwait(false);
                outcomes = [.. outcomes, .. read.Select(medications => new KeyOutcome(medications.Report, medications.Resources))];
            }
        }
        finally
        {
            budget?.Dispose();
        }

        var reports = Array.ConvertAll(outcomes, outcome => outcome.Report);
        var sourceCount = 0;
        foreach (var outcome in outcomes)
        {
            sourceCount += outcome.Resources.Count;
        }

        var sources = new List<SourcedResources>(sourceCount);
        foreach (var outcome in outcomes)
        {
            sources.AddRange(outcome.Resources);
        }

        if (Failures(outcomes) is { } failure)
        {
            return new RecordResolution(null, failure, reports, null, sources);
        }

        var assembly = RecordAssembler.Assemble(sources);
        if (assembly.Refusal is { } refusal)
        {
            return new RecordResolution(null, refusal, reports, assembly, sources);
        }

        if (assembly.Record!.Patient is null && fetcher is not null)
        {
            var patient = Array.Find(outcomes, outcome => outcome.Report.Key == PrefetchPlanner.RequiredKey);
            return new RecordResolution(null, new ProtocolError(
                $"prefetch.{PrefetchPlanner.RequiredKey}",
                $"the patient is required and there is none: {patient.Report?.Detail ?? "neither the prefetch nor the FHIR server holds a Patient"}",
                ProtocolErrorKind.PreconditionFailed), reports, assembly, sources);
        }

        return new RecordResolution(assembly.Record, null, reports, assembly, sources);
    }

    // What needs no fetch: prefetched data, no data, a refusal, or (offline) a key that would be fetched.
    private static KeyOutcome? Immediate(KeyPlan plan, HookRequest request, IFhirFetcher? fetcher) => plan switch
    {
        NoData none => new KeyOutcome(new KeyReport(plan.Key, KeySource.NoData, 0, none.Why, null), []),
        Unobtainable refused => new KeyOutcome(new KeyReport(plan.Key, KeySource.Failed, 0, refused.Why, null), []),
        UsePrefetched { NextPage: null } used => new KeyOutcome(
            new KeyReport(plan.Key, KeySource.Prefetched, used.Found.Resources.Count, null, null),
            used.Found.Resources.Count == 0 ? [] : [new SourcedResources(request.Body, used.Found.Resources, false)]),
        _ when fetcher is null => new KeyOutcome(
            new KeyReport(plan.Key, KeySource.NotFetched, Prefetched(plan).Count, "not fetched: offline evaluation uses the prefetch alone", null),
            Prefetched(plan) is { Count: > 0 } first ? [new SourcedResources(request.Body, first, false)] : []),
        _ when request.FhirServer is null => new KeyOutcome(
            new KeyReport(plan.Key, KeySource.Failed, 0, $"{WhyFetch(plan)}, and the request has no fhirServer to fetch it from", null), []),
        _ => null,
    };

    private static readonly List<Fhir.FoundResource> NoResources = [];

    private static List<Fhir.FoundResource> Prefetched(KeyPlan plan) => plan is UsePrefetched used ? used.Found.Resources : NoResources;

    private async Task<KeyOutcome> FetchAsync(KeyPlan plan, HookRequest request, IFhirFetcher fetcher, CancellationToken budget, CancellationToken aborted)
    {
        var fetch = plan switch
        {
            UsePrefetched used => new FhirFetch(request, plan.Key, plan.Template, used.NextPage!, null, WhyFetch(plan), 1, used.Found.Resources.Count),
            FetchFromServer fetching => new FhirFetch(request, plan.Key, plan.Template, fetching.Query, ReadTypeOf(fetching.Query), fetching.Why),
            _ => throw new InvalidOperationException($"Unknown plan {plan.GetType().Name}"),
        };
        var before = Prefetched(plan);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await fetcher.FetchAsync(fetch, budget).ConfigureAwait(false);
            var outcome = result.Failure is not null ? "failed" : result.NotFound ? "not-found" : "ok";
            var report = new FetchReport(outcome, result.LastStatus, result.Pages.Count, Stopwatch.GetElapsedTime(started));
            if (result.Failure is { } failure)
            {
                return new KeyOutcome(new KeyReport(plan.Key, KeySource.Failed, 0, failure, report, result.FailureField), []);
            }

            var sources = new List<SourcedResources>(result.Pages.Count + 1);
            if (before.Count > 0)
            {
                sources.Add(new SourcedResources(request.Body, before, false));
            }

            if (result.NotFound)
            {
                return new KeyOutcome(new KeyReport(plan.Key, KeySource.NoData, before.Count, $"the FHIR server has no {plan.Template} ({result.LastStatus} {(result.LastStatus == 410 ? "Gone" : "Not Found")})", report), sources);
            }

            sources.AddRange(result.Pages.Select(page => new SourcedResources(page.Json, page.Found.Resources, true)));
            return new KeyOutcome(new KeyReport(plan.Key, KeySource.Fetched, before.Count + result.ResourceCount, null, report), sources);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            var report = new FetchReport("timed-out", null, 0, Stopwatch.GetElapsedTime(started));
            return new KeyOutcome(new KeyReport(
                plan.Key,
                KeySource.Failed,
                0,
                $"still pending when the {options.TimeBudgetSeconds:0.###} s time budget for the FHIR server ran out ({plan.Template})",
                report), []);
        }
    }

    private ProtocolError? Failures(KeyOutcome[] outcomes)
    {
        if (Array.TrueForAll(outcomes, outcome => outcome.Failure is null))
        {
            return null;
        }

        var failures = outcomes
            .Where(outcome => outcome.Failure is not null
                && (outcome.Report.Key == PrefetchPlanner.RequiredKey || options.OptionalKeysOnFailure == OptionalKeyFailurePolicy.Fail))
            .OrderBy(outcome => outcome.Report.Key == PrefetchPlanner.RequiredKey ? 0 : 1)
            .ToList();
        return failures.Count switch
        {
            0 => null,
            1 => new ProtocolError(failures[0].Report.Field ?? $"prefetch.{failures[0].Report.Key}", failures[0].Failure!, ProtocolErrorKind.PreconditionFailed),
            _ => new ProtocolError(
                "prefetch",
                $"{failures.Count} prefetch keys could not be had: " + string.Join("; ", failures.Select(f => $"'{f.Report.Key}': {f.Failure}")),
                ProtocolErrorKind.PreconditionFailed),
        };
    }

    private static string WhyFetch(KeyPlan plan) => plan switch
    {
        FetchFromServer fetching => fetching.Why,
        _ => "the prefetched Bundle has a next page",
    };

    // "Patient/123" is a read of a Patient; anything with a query is a search.
    private static string? ReadTypeOf(string query) =>
        query.Contains('?', StringComparison.Ordinal) ? null : query.Split('/')[0];
}
