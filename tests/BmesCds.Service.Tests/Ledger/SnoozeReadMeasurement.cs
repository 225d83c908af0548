using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BmesCds.Ledger.Records;
using BmesCds.Service.Ledger;
using static BmesCds.Service.Tests.Ledger.ClinicalRequests;

namespace BmesCds.Service.Tests.Ledger;

/// <summary>
/// Not a test: what the snooze read adds to a hook call that has cards (README "Card ledger", docs/benchmarks.md). Run with
/// <c>dotnet test tests/BmesCds.Service.Tests -c Release --filter "FullyQualifiedName~SnoozeReadMeasurement"</c>.
/// </summary>
[TestFixture]
[Explicit("a measurement, not a check")]
[NonParallelizable]
public sealed class SnoozeReadMeasurement
{
    private const int Reads = 500;

    [Test]
    public async Task Snooze_read_on_sqlite() => await MeasureAsync(null);

    [Test]
    public async Task Snooze_read_on_postgresql() => await MeasureAsync(await SharedPostgres.NewDatabaseAsync());

    [Test]
    public async Task Hook_call_with_the_ledger_against_without()
    {
        using var with = new LedgerHost();
        using var without = new LedgerHost(settings: new() { ["Ledger:Store"] = "None" });
        var times = new Dictionary<LedgerHost, List<double>> { [with] = [], [without] = [] };
        for (var i = -50; i < 300; i++)
        {
            // Alternating, so that the load of the shared machine weighs on both alike.
            foreach (var host in new[] { with, without })
            {
                var request = C1().AsPatient($"p-{i % 30}");
                var watch = Stopwatch.StartNew();
                await host.HookAsync(request);
                if (i >= 0)
                {
                    times[host].Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }

        Report("POST order-select C1 (1 card), Ledger:Store Sqlite", times[with]);
        Report("POST order-select C1 (1 card), Ledger:Store None", times[without]);
    }

    [Test]
    public async Task Snooze_read_when_postgresql_is_down_or_does_not_answer()
    {
        await using var postgres = await PostgresServer.StartAsync();
        using (var stopped = new LedgerHost(await postgres.CreateDatabaseAsync()))
        {
            await stopped.HookAsync(C1());
            await stopped.DrainAsync();
            await postgres.StopAsync();
            Report("PostgreSQL stopped (connection refused): first read, then paused reads", await ReadTimesAsync(stopped, 20));
        }

        // A server that accepts connections and never answers: the read gives up at the budget.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var connection = $"Host=127.0.0.1;Port={port};Username=postgres;Database=x;Timeout=30";
        using var hanging = new LedgerHost(connection);
        hanging.Service<LedgerState>().MarkReady(); // as if the schema had been prepared before the server went silent
        Report("PostgreSQL silent (no answer): first read, then paused reads", await ReadTimesAsync(hanging, 20));
    }

    private static async Task MeasureAsync(string? postgres)
    {
        using var host = new LedgerHost(postgres);
        var card = (await host.HookAsync(C1())).Single();
        await host.OverrideAsync(OrderSelect, card);
        await host.DrainAsync();
        Report($"snooze read, one snooze on record ({(postgres is null ? "SQLite" : "PostgreSQL")})", await ReadTimesAsync(host, Reads));
    }

    private static async Task<List<double>> ReadTimesAsync(LedgerHost host, int count)
    {
        var reader = host.Service<SnoozeReader>();
        var key = host.Service<PatientKey>().Of("c1");
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await reader.ReadAsync(key, "measurement", CancellationToken.None);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static void Report(string what, List<double> times)
    {
        var first = times[0];
        var sorted = times.Order().ToList();
        TestContext.Out.WriteLine(
            $"{what}: n={times.Count} first {first:F2} ms, median {sorted[sorted.Count / 2]:F2} ms, p95 {sorted[(int)(sorted.Count * 0.95)]:F2} ms, max {sorted[^1]:F2} ms");
    }
}
