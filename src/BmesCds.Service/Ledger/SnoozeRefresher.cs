namespace BmesCds.Service.Ledger;

/// <summary>
/// Reloads the <see cref="SnoozeIndex"/> every Ledger:SnoozeRefreshSeconds once the store is ready, which is how an
/// instance learns of overrides received by the others. Real time, not the ledger clock: it paces reads of the store.
/// </summary>
internal sealed class SnoozeRefresher(SnoozeIndex index, LedgerOptions options) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first load before traffic (the writer, started before, has migrated the schema), so that snoozes hold
        // from the first call; bounded by the read budget, and retried below when it fails.
        await index.ReloadAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.SnoozeDays == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.SnoozeRefreshSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await index.ReloadAsync(stoppingToken).ConfigureAwait(false);
        }
    }
}
