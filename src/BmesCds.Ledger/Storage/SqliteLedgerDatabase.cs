using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace BmesCds.Ledger.Storage;

/// <summary>
/// The ledger in one SQLite file, in WAL mode so that snooze reads never wait for the writer. "Read only" (the report
/// command) opens an existing file and changes nothing, but not with SQLite's read-only mode: a WAL file closed cleanly
/// cannot be opened that way.
/// </summary>
internal sealed class SqliteLedgerDatabase : LedgerDatabase
{
    private readonly string _connectionString;
    private readonly bool _readOnly;
    private int _walSet;

    public SqliteLedgerDatabase(string path, bool readOnly)
    {
        var fullPath = Path.GetFullPath(path);
        _readOnly = readOnly;
        if (!readOnly && Path.GetDirectoryName(fullPath) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        Description = fullPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = readOnly ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate,
            Pooling = true,

            // Seconds a statement retries while another connection holds the write lock.
            DefaultTimeout = 10,
        }.ToString();
    }

    public override StoreKind Kind => StoreKind.Sqlite;

    public override string Description { get; }

    internal override string TableExistsSql => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @name";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancel)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancel).ConfigureAwait(false);
            if (!_readOnly && Interlocked.Exchange(ref _walSet, 1) == 0)
            {
                // Persistent in the file: readers and the one writer no longer block each other.
                await using var wal = connection.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode = WAL";
                await wal.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
            }

            // Per connection. In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last commits
            // (cards and feedback of the last moments), and no commit waits for an fsync.
            await using var synchronous = connection.CreateCommand();
            synchronous.CommandText = "PRAGMA synchronous = NORMAL";
            await synchronous.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal override async Task<DbTransaction> BeginExclusiveAsync(DbConnection connection, CancellationToken cancel) =>
        // Microsoft.Data.Sqlite begins IMMEDIATE transactions: the write lock is taken at once.
        await connection.BeginTransactionAsync(cancel).ConfigureAwait(false);

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
