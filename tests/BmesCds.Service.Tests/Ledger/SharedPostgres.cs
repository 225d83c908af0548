
namespace BmesCds.Service.Tests.Ledger;

/// <summary>
/// One throwaway PostgreSQL cluster for every ledger fixture that needs one (each test takes a new database in it),
/// started on first use and stopped after the last fixture of this namespace. A test that stops its server starts its own.
/// </summary>
[SetUpFixture]
public sealed class SharedPostgres
{
    private static readonly Lazy<Task<PostgresServer>> Server = new(PostgresServer.StartAsync);

    /// <summary>The connection string of a new, empty database.</summary>
    public static async Task<string> NewDatabaseAsync() => await (await Server.Value).CreateDatabaseAsync();

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (Server.IsValueCreated)
        {
            await (await Server.Value).DisposeAsync();
        }
    }
}
