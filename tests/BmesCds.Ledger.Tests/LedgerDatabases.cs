using BmesCds.Ledger.Storage;
using BmesCds.Testing;

namespace BmesCds.Ledger.Tests;

/// <summary>
/// Fresh, empty ledger databases of one engine: a new SQLite file in a temporary folder, or a new database in a
/// throwaway PostgreSQL cluster started once for the fixture.
/// </summary>
public sealed class LedgerDatabases(StoreKind kind) : IAsyncDisposable
{
    private readonly List<LedgerDatabase> _opened = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("bmes-ledger-").FullName;
    private PostgresServer? _postgres;

    public StoreKind Kind => kind;

    public async Task StartAsync()
    {
        if (kind == StoreKind.PostgreSql)
        {
            _postgres = await PostgresServer.StartAsync();
        }
    }

    /// <summary>A new empty database, and a way to open it again (as another instance would).</summary>
    public async Task<(LedgerDatabase Database, Func<LedgerDatabase> OpenAgain)> CreateAsync()
    {
        Func<LedgerDatabase> open;
        if (kind == StoreKind.Sqlite)
        {
            var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.db");
            open = () => Track(LedgerDatabase.Sqlite(path));
        }
        else
        {
            var connectionString = await _postgres!.CreateDatabaseAsync();
            open = () => Track(LedgerDatabase.PostgreSql(connectionString));
        }

        return (open(), open);
    }

    private LedgerDatabase Track(LedgerDatabase database)
    {
        lock (_opened)
        {
            _opened.Add(database);
        }

        return database;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
