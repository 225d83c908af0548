namespace BmesCds.Service.Ledger;

/// <summary>Whether the store's schema is in place: until it is, snoozes are not read and writes wait in the queue.</summary>
public sealed class LedgerState
{
    private volatile bool _ready;

    public bool Ready => _ready;

    internal void MarkReady() => _ready = true;
}
