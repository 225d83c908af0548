using System.Diagnostics;
using BmesCds.CdsHooks.Pipeline;

namespace BmesCds.Service.Telemetry;

/// <summary>
/// The host's FHIR fetcher with each fetch in a <see cref="BmesActivitySource.FetchSpan"/> span, child of the hook span
/// (its HTTP requests are children of it in turn). Without a trace listener it is the inner fetcher, at the cost of
/// one check. The fetch metrics come from the pipeline's key reports (<see cref="HookMetricsObserver"/>), not from here.
/// </summary>
public sealed class TracedFhirFetcher(IFhirFetcher inner) : IFhirFetcher
{
    public Task<FetchOutcome> FetchAsync(FhirFetch fetch, CancellationToken budget)
    {
        var span = BmesActivitySource.StartFetch(fetch.Key);
        return span is null ? inner.FetchAsync(fetch, budget) : TracedAsync(span, fetch, budget);
    }

    private async Task<FetchOutcome> TracedAsync(Activity span, FhirFetch fetch, CancellationToken budget)
    {
        using (span)
        {
            try
            {
                var outcome = await inner.FetchAsync(fetch, budget).ConfigureAwait(false);
                var result = outcome.Failure is not null ? "failed" : outcome.NotFound ? "not-found" : "ok";
                BmesActivitySource.Fetched(span, result, outcome.LastStatus, outcome.Pages.Count, outcome.ResourceCount);
                return outcome;
            }
            catch (OperationCanceledException)
            {
                // The time budget ran out or the caller went away: the resolver tells which, the span says it stopped.
                BmesActivitySource.Fetched(span, "cancelled", null, 0, 0);
                throw;
            }
        }
    }
}
