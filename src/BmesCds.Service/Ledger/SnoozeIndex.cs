using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using BmesCds.Ledger.Storage;

namespace BmesCds.Service.Ledger;

/// <summary>
/// Every patient's active snoozes, held in memory so that a hook call never waits for the store: the lookup is a
/// dictionary read. The index is reloaded from the store, which every instance shares, by <see cref="SnoozeRefresher"/>
/// every Ledger:SnoozeRefreshSeconds (so an override received by another instance holds here within that time), and by
/// the writer right after it stores an override (so one received here holds from the next call). A reload that fails
/// or runs past Ledger:SnoozeReadTimeoutMilliseconds keeps the snoozes loaded before, is logged and counted, and is
/// tried again at the next refresh.
/// </summary>
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A failed reload must never stop the service; the last index stays.")]
public sealed class SnoozeIndex(
    LedgerStore store,
    LedgerState state,
    LedgerClock clock,
    LedgerOptions options,
    LedgerMetrics metrics,
    ILogger<SnoozeIndex> logger) : IDisposable
{
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private volatile FrozenDictionary<string, Snooze[]> _byPatient = FrozenDictionary<string, Snooze[]>.Empty;
    private bool _failing;

    /// <summary>The patient's snoozes still within Ledger:SnoozeDays of their override.</summary>
    public IReadOnlyList<Snooze> For(string patientKey)
    {
        if (options.SnoozeDays == 0 || !_byPatient.TryGetValue(patientKey, out var snoozes))
        {
            return [];
        }

        // Loaded with the window as it stood then; the window is applied again at each call as time passes.
        var since = clock.UtcNow - TimeSpan.FromDays(options.SnoozeDays);
        return Array.FindAll(snoozes, snooze => snooze.OverriddenAt >= since);
    }

    /// <summary>Reloads the index from the store; false (the previous index kept) when the store failed or was too slow.</summary>
    public async Task<bool> ReloadAsync(CancellationToken cancel)
    {
        if (options.SnoozeDays == 0 || !state.Ready)
        {
            return false;
        }

        await _reloading.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            var budget = TimeSpan.FromMilliseconds(options.SnoozeReadTimeoutMilliseconds);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(budget);
            var since = clock.UtcNow - TimeSpan.FromDays(options.SnoozeDays);

            // WaitAsync: a driver that ignores cancellation cannot hold the refresh past its budget.
            var active = await store.ActiveSnoozesAsync(since, timeout.Token).WaitAsync(budget, cancel).ConfigureAwait(false);
            _byPatient = active
                .GroupBy(entry => entry.PatientKey, StringComparer.Ordinal)
                .ToFrozenDictionary(group => group.Key, group => group.Select(entry => entry.Snooze).ToArray(), StringComparer.Ordinal);
            if (_failing)
            {
                _failing = false;
                logger.LogInformation("Card ledger snoozes read again: {Patients} patients with active snoozes", _byPatient.Count);
            }

            return true;
        }
        catch (Exception error) when (!cancel.IsCancellationRequested)
        {
            var reason = error is TimeoutException or OperationCanceledException ? "timeout" : "error";
            metrics.SnoozeRefreshFailed(reason);
            if (!_failing)
            {
                // One warning per failure streak; the counter keeps the tally.
                _failing = true;
                logger.LogWarning(
                    "Card ledger snoozes not read ({Reason}, {Error}); the snoozes read before still hold, retrying every {Seconds} s",
                    reason,
                    error.GetType().Name,
                    options.SnoozeRefreshSeconds);
            }

            return false;
        }
        finally
        {
            _reloading.Release();
        }
    }

    public void Dispose() => _reloading.Dispose();
}
