namespace BmesCds.Ledger.Records;

/// <summary>Something the ledger stores: an issued card or a feedback item. Written in arrival order by one writer.</summary>
public abstract record LedgerEntry;

/// <summary>Whether a card was shown to the user (live) or only recorded (shadow mode: the answer had no cards).</summary>
public enum CardMode
{
    Live,
    Shadow,
}

/// <summary>What the user did with a card (CDS Hooks feedback `outcome`).</summary>
public enum RecordedOutcome
{
    Accepted,
    Overridden,
}

/// <summary>Wire forms of the enums, as stored (lower case).</summary>
public static class LedgerCodes
{
    public static string Of(CardMode mode) => mode == CardMode.Live ? "live" : "shadow";

    public static string Of(RecordedOutcome outcome) => outcome == RecordedOutcome.Accepted ? "accepted" : "overridden";
}
