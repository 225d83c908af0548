using System.Data.Common;
using Npgsql;

namespace BmesCds.Ledger.Storage;

/// <summary>The ledger in a PostgreSQL database, shared by every instance of the service.</summary>
internal sealed class PostgresLedgerDatabase : LedgerDatabase
{
    // Any constant: the key of the advisory lock that serialises migrations across instances.
    private const long MigrationLockKey = 0x626d657363647301;

    private readonly NpgsqlDataSource _source;

    public PostgresLedgerDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder);
    }

    public override StoreKind Kind => StoreKind.PostgreSql;

    public override string Description { get; }

    internal override string TableExistsSql =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @name";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancel) =>
        await _source.OpenConnectionAsync(cancel).ConfigureAwait(false);

    internal override async Task<DbTransaction> BeginExclusiveAsync(DbConnection connection, CancellationToken cancel)
    {
        var transaction = await connection.BeginTransactionAsync(cancel).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({MigrationLockKey})";
        await command.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
        return transaction;
    }

    public override ValueTask DisposeAsync() => _source.DisposeAsync();
}
