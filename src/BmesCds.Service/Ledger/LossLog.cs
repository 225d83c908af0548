using System.Diagnostics;

namespace BmesCds.Service.Ledger;

/// <summary>
/// Logs lost ledger writes without flooding the log while a store is down: the first loss at once, then at most one
/// line per <see cref="Interval"/> with the count since the last line, and a line when writes succeed again.
/// </summary>
public sealed class LossLog(ILogger<LossLog> logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private long _lastLogged;
    private long _unlogged;
    private long _sinceRecovery;

    public void Lost(string reason, int count, Exception? error = null)
    {
        long toLog;
        lock (_gate)
        {
            _unlogged += count;
            _sinceRecovery += count;
            var now = Stopwatch.GetTimestamp();
            if (_lastLogged != 0 && Stopwatch.GetElapsedTime(_lastLogged, now) < Interval)
            {
                return;
            }

            _lastLogged = now;
            toLog = _unlogged;
            _unlogged = 0;
        }

        // The exception's type and message only: the batch (cards, feedback) is never logged.
        logger.LogError(
            "Card ledger: {Count} writes lost ({Reason}{Error}); hook calls are still answered. Counted in bmes_cds.ledger.dropped_writes.",
            toLog,
            reason,
            error is null ? string.Empty : $": {error.GetType().Name}: {Shorten(error.Message)}");
    }

    public void Recovered()
    {
        long lost;
        lock (_gate)
        {
            if (_sinceRecovery == 0)
            {
                return;
            }

            lost = _sinceRecovery;
            _sinceRecovery = 0;
            _unlogged = 0;
            _lastLogged = 0;
        }

        logger.LogWarning("Card ledger: writes succeed again; {Count} writes were lost while they failed", lost);
    }

    private static string Shorten(string message) => message.Length <= 300 ? message : message[..300] + "…";
}
