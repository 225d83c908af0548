using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.Service.CdsServices;

namespace BmesCds.Service.Telemetry;

/// <summary>Counts what a completed hook call explains about itself: cards, silences, prefetch key sources and fetches.</summary>
public sealed class HookMetricsObserver(BmesMetrics metrics) : IHookCallObserver
{
    public void OnCompleted(CdsServiceDefinition service, HookOutcome outcome)
    {
        metrics.KeysResolved(outcome.Keys);
        metrics.Judged(service, outcome.Evaluation);
    }
}
