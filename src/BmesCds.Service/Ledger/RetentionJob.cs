using System.Diagnostics.CodeAnalysis;
using BmesCds.Ledger.Storage;

namespace BmesCds.Service.Ledger;

/// <summary>Deletes cards and feedback older than Ledger:RetentionDays, shortly after start and then every six hours.</summary>
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A failed sweep is retried at the next one.")]
internal sealed class RetentionJob(LedgerStore store, LedgerState state, LedgerClock clock, LedgerOptions options, ILogger<RetentionJob> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstSweepDelay = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(FirstSweepDelay, stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(Interval);
        do
        {
            await SweepAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One sweep; returns what it removed (null when the store is not ready or the sweep failed).</summary>
    public async Task<RetentionResult?> SweepAsync(CancellationToken cancel)
    {
        if (!state.Ready)
        {
            return null;
        }

        var cutoff = clock.UtcNow - TimeSpan.FromDays(options.RetentionDays);
        try
        {
            var removed = await store.DeleteOlderThanAsync(cutoff, cancel).ConfigureAwait(false);
            logger.LogInformation(
                "Card ledger retention: {Cards} cards and {Feedback} feedback items older than {Cutoff:u} ({Days} days) deleted",
                removed.Cards,
                removed.Feedback,
                cutoff,
                options.RetentionDays);
            return removed;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning("Card ledger retention sweep failed ({Error}: {Message}); retried at the next sweep", error.GetType().Name, error.Message);
            return null;
        }
    }
}
