using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace BmesCds.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for tests: initdb into a temporary folder, started on a free loopback port with durability
/// switched off (fast), stopped and deleted on dispose. PostgreSQL refuses to run as root, so as root (CI) every server
/// command runs as the `postgres` user through runuser. Needs Debian's postgresql package (scripts/test.sh installs it);
/// when it is missing, starting throws with a message saying so: the tests fail, they are never skipped.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly bool IsRoot = Environment.UserName == "root";

    private readonly string _bin;
    private readonly string _folder;

    private PostgresServer(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>The superuser connection string of database <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Timeout = 5,
    }.ToString();

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found: the PostgreSQL tests need them. Run scripts/test.sh "
            + "(it installs Debian's postgresql package) or: apt-get install -y postgresql. BMES_PG_BIN can name the folder.");
        var folder = IsRoot
            ? (await RunAsync("runuser", ["-u", "postgres", "--", "mktemp", "-d", "/tmp/bmes-pg-XXXXXX"]).ConfigureAwait(false)).Trim()
            : Directory.CreateTempSubdirectory("bmes-pg-").FullName;
        var server = new PostgresServer(bin, folder, FreePort());
        try
        {
            await server.RunServerCommandAsync("initdb", ["-D", server.DataFolder, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]).ConfigureAwait(false);
            await server.StartAgainAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the cluster (again, after <see cref="StopAsync"/>) on the same port, and waits until it answers.</summary>
    public Task StartAgainAsync() => RunServerCommandAsync("pg_ctl",
    [
        "-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
        "-o", $"-h 127.0.0.1 -p {Port.ToString(CultureInfo.InvariantCulture)} -k {_folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        "start",
    ]);

    /// <summary>Stops the server now (sessions are cut), as when a database host goes down.</summary>
    public Task StopAsync() => RunServerCommandAsync("pg_ctl", ["-D", DataFolder, "-m", "fast", "-w", "-t", "60", "stop"]);

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "t" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return ConnectionString(name);
    }

    /// <summary>The server's log, for a failing test's message.</summary>
    public string Log()
    {
        var path = Path.Combine(_folder, "server.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no server log)";
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            try
            {
                await RunServerCommandAsync("pg_ctl", ["-D", DataFolder, "-m", "immediate", "-w", "-t", "30", "stop"]).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Already stopped: nothing to do.
            }
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private Task<string> RunServerCommandAsync(string program, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_bin, program);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (Win32Exception missing)
        {
            throw new InvalidOperationException($"{program} could not be started: {missing.Message}", missing);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output.ConfigureAwait(false)}\n{await error.ConfigureAwait(false)}");
            }

            return await output.ConfigureAwait(false);
        }
    }

    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("BMES_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        // Debian installs each major version under /usr/lib/postgresql/<version>/bin; take the newest.
        const string Debian = "/usr/lib/postgresql";
        if (Directory.Exists(Debian))
        {
            var newest = Directory.GetDirectories(Debian)
                .Select(folder => Path.Combine(folder, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(folder => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
