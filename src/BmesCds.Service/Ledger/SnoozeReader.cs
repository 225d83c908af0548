using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using BmesCds.Ledger.Storage;

namespace BmesCds.Service.Ledger;

/// <summary>
/// Reads a patient's snoozes from the store, which every instance shares, so that an override received by any instance
/// is honoured by all. The read has a time budget (Ledger:SnoozeReadTimeoutMilliseconds) and fails open: on timeout or
/// error the call is answered without snoozes, and reads pause for a few seconds so that a store that is down costs the
/// hook calls nothing more.
/// </summary>
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A snooze read must never fail a hook call.")]
public sealed class SnoozeReader(
    LedgerStore store,
    LedgerState state,
    LedgerClock clock,
    LedgerOptions options,
    LedgerMetrics metrics,
    ILogger<SnoozeReader> logger)
{
    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromSeconds(5);

    private long _pausedUntil;

    public async Task<IReadOnlyList<Snooze>> ReadAsync(string patientKey, string hookInstance, CancellationToken cancel)
    {
        if (options.SnoozeDays == 0 || !state.Ready)
        {
            return [];
        }

        if (Stopwatch.GetTimestamp() < Volatile.Read(ref _pausedUntil))
        {
            metrics.SnoozeReadFailed("paused");
            return [];
        }

        var budget = TimeSpan.FromMilliseconds(options.SnoozeReadTimeoutMilliseconds);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(budget);
        try
        {
            var since = clock.UtcNow - TimeSpan.FromDays(options.SnoozeDays);

            // WaitAsync: the answer never waits past the budget, even for a driver that ignores cancellation.
            return await store.SnoozesAsync(patientKey, since, timeout.Token).WaitAsync(budget, cancel).ConfigureAwait(false);
        }
        catch (Exception error) when (!cancel.IsCancellationRequested)
        {
            var reason = error is TimeoutException or OperationCanceledException ? "timeout" : "error";
            Volatile.Write(ref _pausedUntil, Stopwatch.GetTimestamp() + (long)(PauseAfterFailure.TotalSeconds * Stopwatch.Frequency));
            metrics.SnoozeReadFailed(reason);
            logger.LogWarning(
                "Hook {HookInstance}: snoozes not read ({Reason}, {Error}); answered without them. Snooze reads pause for {PauseSeconds} s.",
                hookInstance,
                reason,
                error.GetType().Name,
                PauseAfterFailure.TotalSeconds);
            return [];
        }
    }
}
