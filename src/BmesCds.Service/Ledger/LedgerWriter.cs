using System.Diagnostics.CodeAnalysis;
using BmesCds.Ledger.Records;
using BmesCds.Ledger.Storage;

namespace BmesCds.Service.Ledger;

/// <summary>
/// The one background writer: migrates the schema at start (and keeps retrying while the store is unreachable), then
/// writes the queue in batches, one transaction each, and reloads the snooze index after a batch that stored an
/// override. A batch waits up to <see cref="BatchWait"/> for the cards and feedback arriving behind its first entry. A batch that fails is retried twice, then dropped and counted. At shutdown what is still queued is
/// written once.
/// </summary>
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A store failure must never stop the writer or reach a hook call.")]
internal sealed class LedgerWriter(
    LedgerQueue queue,
    LedgerStore store,
    LedgerState state,
    SnoozeIndex snoozes,
    LedgerMetrics metrics,
    LossLog losses,
    ILogger<LedgerWriter> logger) : BackgroundService
{
    private const int BatchSize = 500;

    // A transaction per entry rewrites every page the entry touches (its row and each index) into the store's log: under
    // load (one card per call at thousands of calls a second) that cost 40 % of the service's CPU. Entries arriving
    // within this wait share one transaction; an override received meanwhile holds at most this much later.
    private static readonly TimeSpan BatchWait = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan FirstMigrationBudget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)];

    private readonly List<LedgerEntry> _batch = new(BatchSize);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first attempt before traffic, so that snoozes are read from the first call; failures are retried below.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(FirstMigrationBudget);
        try
        {
            await TryMigrateAsync(budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(
                "Card ledger store {Store} did not answer within {Seconds} s at start; hook calls are answered, writes wait in the queue, retrying",
                store.Database.Description,
                FirstMigrationBudget.TotalSeconds);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = TimeSpan.FromSeconds(1);
        while (!state.Ready)
        {
            await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            await TryMigrateAsync(stoppingToken).ConfigureAwait(false);
        }

        while (await queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            if (_batch.Count == 0)
            {
                if (queue.Reader.Count < BatchSize)
                {
                    // Cancelled by the stop: what is queued stays in the queue for StopAsync.
                    await Task.Delay(BatchWait, stoppingToken).ConfigureAwait(false);
                }

                while (_batch.Count < BatchSize && queue.Reader.TryRead(out var entry))
                {
                    _batch.Add(entry);
                }
            }

            // The write itself is not cancelled by the stop: a batch half-written would be lost; StopAsync waits for it.
            await WriteBatchAsync(RetryDelays, stoppingToken, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown time ran out while a write still hangs (and owns the batch): what is queued is lost.
            var left = 0;
            while (queue.Reader.TryRead(out _))
            {
                left++;
            }

            if (left > 0)
            {
                metrics.WritesDropped("shutdown", left);
                losses.Lost("shutdown", left);
                queue.Done(left);
            }

            return;
        }

        // Written once, without retries, within the host's shutdown time; what cannot be written is counted as lost.
        while (_batch.Count > 0 || queue.Reader.TryPeek(out _))
        {
            while (_batch.Count < BatchSize && queue.Reader.TryRead(out var entry))
            {
                _batch.Add(entry);
            }

            if (!state.Ready || cancellationToken.IsCancellationRequested)
            {
                Drop("shutdown", null);
                continue;
            }

            await WriteBatchAsync([], cancellationToken, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <see cref="_batch"/>; on success or after the last retry it is emptied. Cancelled: left for StopAsync.</summary>
    private async Task WriteBatchAsync(TimeSpan[] retryDelays, CancellationToken cancel, CancellationToken writeCancel)
    {
        Exception? failure = null;
        for (var attempt = 0; attempt <= retryDelays.Length; attempt++)
        {
            try
            {
                var written = await store.WriteAsync(_batch, writeCancel).ConfigureAwait(false);
                foreach (var feedback in written.Where(item => item.Stored))
                {
                    metrics.FeedbackStored(feedback.Feedback, feedback.CardRuleId);
                }

                if (written.Any(item => item.Stored && item.Feedback.Outcome == RecordedOutcome.Overridden))
                {
                    // Before the batch counts as done: an override received here holds from the next call.
                    await snoozes.ReloadAsync(writeCancel).ConfigureAwait(false);
                }

                queue.Done(_batch.Count);
                _batch.Clear();
                losses.Recovered();
                return;
            }
            catch (Exception error)
            {
                failure = error;
            }

            if (attempt < retryDelays.Length)
            {
                try
                {
                    await Task.Delay(retryDelays[attempt], cancel).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        Drop("store-error", failure);
    }

    private void Drop(string reason, Exception? error)
    {
        metrics.WritesDropped(reason, _batch.Count);
        losses.Lost(reason, _batch.Count, error);
        queue.Done(_batch.Count);
        _batch.Clear();
    }

    private async Task TryMigrateAsync(CancellationToken cancel)
    {
        try
        {
            var (from, to) = await new LedgerSchema(store.Database).MigrateAsync(cancel).ConfigureAwait(false);
            state.MarkReady();
            logger.LogInformation(
                "Card ledger ready: {Store}, schema version {Version}{Migrated}",
                store.Database.Description,
                to,
                from == to ? string.Empty : $" (migrated from version {from})");
        }
        catch (LedgerSchemaException newer)
        {
            logger.LogCritical("Card ledger not written: {Reason}", newer.Message);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogError(
                "Card ledger store {Store} cannot be prepared ({Error}: {Message}); hook calls are still answered, writes wait in the queue, retrying",
                store.Database.Description,
                error.GetType().Name,
                error.Message);
        }
    }
}
