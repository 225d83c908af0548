using System.Data.Common;

namespace BmesCds.Ledger.Storage;

/// <summary>Which database engine holds the ledger.</summary>
public enum StoreKind
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Where the ledger lives: a SQLite file (one instance) or a PostgreSQL database (several instances share it). The SQL is
/// the same for both; this class only opens connections and takes the lock under which migrations run.
/// </summary>
public abstract class LedgerDatabase : IAsyncDisposable
{
    public abstract StoreKind Kind { get; }

    /// <summary>For logs and messages: the file, or host, port and database. Never a password.</summary>
    public abstract string Description { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancel);

    /// <summary>
    /// A transaction that no other instance can run at the same time (PostgreSQL: an advisory lock; SQLite: BEGIN
    /// IMMEDIATE), so that two instances starting together apply each migration once.
    /// </summary>
    internal abstract Task<DbTransaction> BeginExclusiveAsync(DbConnection connection, CancellationToken cancel);

    /// <summary>SQL counting the tables named @name (0 or 1).</summary>
    internal abstract string TableExistsSql { get; }

    public abstract ValueTask DisposeAsync();

    public static LedgerDatabase Sqlite(string path, bool readOnly = false) => new SqliteLedgerDatabase(path, readOnly);

    public static LedgerDatabase PostgreSql(string connectionString) => new PostgresLedgerDatabase(connectionString);

    /// <summary>
    /// The command line's <c>--store</c>: a PostgreSQL connection string (it has "key=value" pairs) or a SQLite file path.
    /// </summary>
    public static LedgerDatabase FromLocation(string location, bool readOnly) =>
        LooksLikeConnectionString(location) ? PostgreSql(location) : Sqlite(location, readOnly);

    public static bool LooksLikeConnectionString(string location) =>
        location.Contains('=', StringComparison.Ordinal) && location.Contains("host", StringComparison.OrdinalIgnoreCase);
}
