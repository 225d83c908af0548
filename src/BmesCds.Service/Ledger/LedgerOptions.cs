namespace BmesCds.Service.Ledger;

/// <summary>Where the card ledger is kept.</summary>
public enum LedgerStoreKind
{
    Sqlite,
    PostgreSql,
    None,
}

/// <summary>The card ledger's settings (section "Ledger"; README "Card ledger").</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>Where cards and feedback are recorded: `Sqlite` (one file), `PostgreSql` (shared by several instances) or `None`.</summary>
    public LedgerStoreKind Store { get; set; } = LedgerStoreKind.Sqlite;

    /// <summary>The SQLite file, relative to the content root unless absolute.</summary>
    public string SqlitePath { get; set; } = "data/bmes-cds.db";

    /// <summary>Npgsql connection string, for Store = PostgreSql.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The HMAC key of the pseudonymous patient key (at least 32 bytes as UTF-8).</summary>
    public string? PatientKeySecret { get; set; }

    /// <summary>Days an overridden card stays silent for the same patient, rule, joint and side; 0 switches snooze off.</summary>
    public int SnoozeDays { get; set; } = 30;

    /// <summary>Days cards and feedback are kept.</summary>
    public int RetentionDays { get; set; } = 400;

    /// <summary>Writes waiting for the store; when full, new writes are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Time budget of one reload of the snooze index from the store; a reload past it keeps the snoozes loaded before.</summary>
    public int SnoozeReadTimeoutMilliseconds { get; set; } = 250;

    /// <summary>Seconds between reloads of the snooze index: how soon an override received by another instance holds here.</summary>
    public int SnoozeRefreshSeconds { get; set; } = 5;

    /// <summary>Longest override comment stored; longer ones are cut.</summary>
    public int MaxCommentLength { get; set; } = 1000;

    public string? Problem() => this switch
    {
        { Store: LedgerStoreKind.PostgreSql, ConnectionString: null or "" } => "Ledger:ConnectionString is required when Ledger:Store is PostgreSql",
        { Store: LedgerStoreKind.Sqlite, SqlitePath: null or "" } => "Ledger:SqlitePath must name a file when Ledger:Store is Sqlite",
        { SnoozeDays: < 0 or > 365 } => "Ledger:SnoozeDays must be from 0 to 365",
        { RetentionDays: < 1 } => "Ledger:RetentionDays must be at least 1",
        _ when RetentionDays < SnoozeDays => "Ledger:RetentionDays must be at least Ledger:SnoozeDays (an override must outlive its snooze)",
        { QueueCapacity: < 1 or > 1_000_000 } => "Ledger:QueueCapacity must be from 1 to 1000000",
        { SnoozeReadTimeoutMilliseconds: < 1 or > 5000 } => "Ledger:SnoozeReadTimeoutMilliseconds must be from 1 to 5000",
        { SnoozeRefreshSeconds: < 1 or > 3600 } => "Ledger:SnoozeRefreshSeconds must be from 1 to 3600",
        { MaxCommentLength: < 0 or > 100_000 } => "Ledger:MaxCommentLength must be from 0 to 100000",
        _ => null,
    };
}
