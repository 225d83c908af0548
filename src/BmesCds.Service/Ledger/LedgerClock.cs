namespace BmesCds.Service.Ledger;

/// <summary>
/// The ledger's "now": when cards were issued and feedback received, and where snooze windows and retention count from.
/// The real clock, even when Clock:FixedUtcNow pins the clinical clock; its own type so tests can move it alone.
/// </summary>
public sealed class LedgerClock(TimeProvider time)
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
