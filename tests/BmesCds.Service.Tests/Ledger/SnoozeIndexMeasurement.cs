using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BmesCds.Ledger.Records;
using BmesCds.Ledger.Storage;
using BmesCds.Service.Ledger;
using static BmesCds.Service.Tests.Ledger.ClinicalRequests;

namespace BmesCds.Service.Tests.Ledger;

/// <summary>
/// Not a test: what a reload of the snooze index costs (off the hook path), and what the ledger adds to a hook call that
/// has cards (README "Card ledger", docs/benchmarks.md). Run with
/// <c>dotnet test tests/BmesCds.Service.Tests -c Release --filter "FullyQualifiedName~SnoozeIndexMeasurement"</c>.
/// </summary>
[TestFixture]
[Explicit("a measurement, not a check")]
[NonParallelizable]
public sealed class SnoozeIndexMeasurement
{
    private const int Reloads = 50;
    private const int OverriddenCards = 1000;

    [Test]
    public async Task Snooze_index_reload_on_sqlite() => await MeasureAsync(null);

    [Test]
    public async Task Snooze_index_reload_on_postgresql() => await MeasureAsync(await SharedPostgres.NewDatabaseAsync());

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
    public async Task Snooze_index_reload_when_postgresql_is_down_or_does_not_answer()
    {
        await using var postgres = await PostgresServer.StartAsync();
        using (var stopped = new LedgerHost(await postgres.CreateDatabaseAsync()))
        {
            await stopped.HookAsync(C1());
            await stopped.DrainAsync();
            await postgres.StopAsync();
            Report("PostgreSQL stopped (connection refused): reloads", await ReloadTimesAsync(stopped, 5));
        }

        // A server that accepts connections and never answers: the reload gives up at the budget.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var connection = $"Host=127.0.0.1;Port={port};Username=postgres;Database=x;Timeout=30";
        using var hanging = new LedgerHost(connection);
        hanging.Service<LedgerState>().MarkReady(); // as if the schema had been prepared before the server went silent
        Report("PostgreSQL silent (no answer): reloads", await ReloadTimesAsync(hanging, 5));
    }

    private static async Task MeasureAsync(string? postgres)
    {
        using var host = new LedgerHost(postgres);
        var store = host.Service<LedgerStore>();
        var cards = Enumerable.Range(0, OverriddenCards).Select(i => new IssuedCard(
            $"card-{i}", CardMode.Live, LedgerHost.Start, OrderSelect, "order-select", "h", "anonymous", $"patient-{i}",
            "replace-with-mri", ["replace-with-mri"], "warning", "hip", "left", [], [])).ToList();
        await store.WriteAsync(cards, CancellationToken.None);
        await store.WriteAsync(
            [.. cards.Select(card => new ReceivedFeedback(
                card.CardUuid + "-f", card.CardUuid, OrderSelect, "anonymous", RecordedOutcome.Overridden, [], null, "mri-unavailable",
                null, null, LedgerHost.Start, LedgerHost.Start))],
            CancellationToken.None);
        Report(
            $"snooze index reload, {OverriddenCards} patients with an override ({(postgres is null ? "SQLite" : "PostgreSQL")})",
            await ReloadTimesAsync(host, Reloads));
        Assert.That(host.Service<SnoozeIndex>().For("patient-7"), Has.Count.EqualTo(1));
    }

    private static async Task<List<double>> ReloadTimesAsync(LedgerHost host, int count)
    {
        var index = host.Service<SnoozeIndex>();
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await index.ReloadAsync(CancellationToken.None);
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
