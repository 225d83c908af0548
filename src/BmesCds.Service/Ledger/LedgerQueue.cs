using System.Threading.Channels;
using BmesCds.Ledger.Records;

namespace BmesCds.Service.Ledger;

/// <summary>
/// The bounded in-memory queue between the hook and feedback calls and the ledger writer. Enqueueing never waits: when
/// the queue is full (the store is down or too slow) the new write is dropped, counted and logged, and the caller
/// answers as usual.
/// </summary>
public sealed class LedgerQueue
{
    private readonly Channel<LedgerEntry> _channel;
    private readonly LedgerMetrics _metrics;
    private readonly LossLog _losses;
    private long _pending;

    public LedgerQueue(LedgerOptions options, LedgerMetrics metrics, LossLog losses)
    {
        _channel = Channel.CreateBounded<LedgerEntry>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _metrics = metrics;
        _losses = losses;
        metrics.ObserveQueue(() => Depth);
    }

    /// <summary>Writes waiting in the queue.</summary>
    public int Depth => _channel.Reader.Count;

    /// <summary>Writes accepted and not yet written or dropped (including the batch being written).</summary>
    public long Pending => Interlocked.Read(ref _pending);

    internal ChannelReader<LedgerEntry> Reader => _channel.Reader;

    public bool TryEnqueue(LedgerEntry entry)
    {
        Interlocked.Increment(ref _pending);
        if (_channel.Writer.TryWrite(entry))
        {
            return true;
        }

        Interlocked.Decrement(ref _pending);
        _metrics.WritesDropped("queue-full", 1);
        _losses.Lost("queue-full", 1);
        return false;
    }

    /// <summary>The writer is done with <paramref name="count"/> entries (written or dropped).</summary>
    internal void Done(int count) => Interlocked.Add(ref _pending, -count);

    /// <summary>Waits until every accepted write is written or dropped; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitUntilDrainedAsync(TimeSpan timeout, CancellationToken cancel = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Pending > 0)
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(10, cancel).ConfigureAwait(false);
        }

        return true;
    }
}
