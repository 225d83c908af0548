using System.Data.Common;
using System.Globalization;

namespace BmesCds.Ledger.Storage;

/// <summary>The schema version is newer than this build knows: an older build must not write to it.</summary>
public sealed class LedgerSchemaException(string message) : Exception(message);

/// <summary>Creates and migrates the ledger schema, and tells its version.</summary>
public sealed class LedgerSchema(LedgerDatabase database)
{
    private const string VersionTable = "ledger_schema";

    /// <summary>The version this build writes.</summary>
    public static int LatestVersion => Migrations.Latest;

    /// <summary>
    /// Applies every migration above the database's version, up to <paramref name="target"/> (the latest by default),
    /// all in one transaction that no other instance runs at the same time. Returns the versions before and after.
    /// </summary>
    public async Task<(int From, int To)> MigrateAsync(CancellationToken cancel, int? target = null)
    {
        var upTo = target ?? Migrations.Latest;
        var connection = await database.OpenAsync(cancel).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await database.BeginExclusiveAsync(connection, cancel).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await using (var create = connection.Command(
                    $"CREATE TABLE IF NOT EXISTS {VersionTable} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                    transaction))
                {
                    await create.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
                }

                var from = await ReadVersionAsync(connection, transaction, cancel).ConfigureAwait(false);
                if (from > Migrations.Latest)
                {
                    throw new LedgerSchemaException(
                        $"The ledger database {database.Description} has schema version {from}; this build knows up to {Migrations.Latest}. Run a newer build.");
                }

                foreach (var migration in Migrations.All.Where(m => m.Version > from && m.Version <= upTo))
                {
                    foreach (var statement in migration.Statements)
                    {
                        await using var command = connection.Command(statement, transaction);
                        await command.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
                    }

                    await using var record = connection.Command(
                        $"INSERT INTO {VersionTable} (version, description, applied_at) VALUES (@version, @description, @at)", transaction)
                        .With("@version", migration.Version)
                        .With("@description", migration.Description)
                        .With("@at", DateTimeOffset.UtcNow);
                    await record.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancel).ConfigureAwait(false);
                return (from, Math.Max(from, upTo));
            }
        }
    }

    /// <summary>The database's schema version; 0 when the ledger was never created there.</summary>
    public async Task<int> VersionAsync(CancellationToken cancel)
    {
        var connection = await database.OpenAsync(cancel).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var exists = connection.Command(database.TableExistsSql).With("@name", VersionTable);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancel).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            {
                return 0;
            }

            return await ReadVersionAsync(connection, null, cancel).ConfigureAwait(false);
        }
    }

    private static async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancel)
    {
        await using var command = connection.Command($"SELECT COALESCE(MAX(version), 0) FROM {VersionTable}", transaction);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancel).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
