using System.Net;
using BmesCds.Ledger.Records;
using BmesCds.Ledger.Storage;
using BmesCds.Service.Ledger;
using BmesCds.Service.Tests.Infrastructure;
using static BmesCds.Service.Tests.Ledger.ClinicalRequests;

namespace BmesCds.Service.Tests.Ledger;

/// <summary>
/// Several instances behind a load balancer share one PostgreSQL ledger; and a database that goes down while the service
/// runs never costs a hook call its cards (that test stops a PostgreSQL cluster of its own).
/// </summary>
[NonParallelizable]
public sealed class SharedPostgresTests
{
    [Test]
    public async Task A_card_issued_by_one_instance_and_overridden_through_the_other_is_snoozed_by_both()
    {
        var database = await SharedPostgres.NewDatabaseAsync();
        var refresh = new Dictionary<string, string?> { ["Ledger:SnoozeRefreshSeconds"] = "1" };
        using var first = new LedgerHost(database, refresh);
        using var second = new LedgerHost(database, refresh);

        var card = (await first.HookAsync(C1())).Single();
        await first.DrainAsync();
        await second.OverrideAsync(OrderSelect, card);
        await second.DrainAsync();

        Assert.That(await second.HookAsync(C1()), Is.Empty, "the instance that received the override, from the next call");
        var patientKey = first.Service<PatientKey>().Of("c1");
        Assert.That(
            await Poll.UntilAsync(() => first.Service<SnoozeIndex>().For(patientKey).Count == 1, TimeSpan.FromSeconds(30)),
            Is.True,
            "the instance that issued the card reloads its snooze index within Ledger:SnoozeRefreshSeconds");
        Assert.That(await first.HookAsync(C1()), Is.Empty, "the instance that issued the card");
        Assert.That(await first.HookAsync(C1().AsPatient("c1-other")), Has.Count.EqualTo(1));
        await first.DrainAsync();
        var report = await second.ReportAsync();
        Assert.That((report.Total.IssuedLive, report.Total.Overridden, report.Total.FeedbackForUnknownCards), Is.EqualTo((2L, 1L, (long?)0)));
    }

    [Test]
    public async Task Feedback_reaching_an_instance_before_the_card_is_written_is_linked_once_the_card_arrives()
    {
        var database = await SharedPostgres.NewDatabaseAsync();
        using var first = new LedgerHost(database);
        using var second = new LedgerHost(database);
        await second.FeedbackAsync(OrderSelect, Feedback.Overridden("not-yet-written"));
        await second.DrainAsync();

        Assert.That(await second.CountAsync("SELECT COUNT(*) FROM feedback WHERE card_known = 0"), Is.EqualTo(1));
        // The card as another instance would write it (same uuid), a moment later.
        await first.Service<LedgerStore>().WriteAsync(
            [new IssuedCard("not-yet-written", CardMode.Live, LedgerHost.Start, OrderSelect, "order-select", "h", "anonymous", "k",
                "replace-with-mri", ["replace-with-mri"], "warning", "hip", "left", [], [])],
            CancellationToken.None);

        Assert.That(await second.CountAsync("SELECT COUNT(*) FROM feedback WHERE card_known = 1"), Is.EqualTo(1));
    }

    [Test]
    public async Task With_the_database_stopped_mid_run_hooks_still_answer_200_with_cards_snoozes_hold_and_the_loss_is_counted()
    {
        await using var postgres = await PostgresServer.StartAsync();
        using var host = new LedgerHost(await postgres.CreateDatabaseAsync());
        using var metrics = new MetricsCollector(host.Factory.Services);
        var card = (await host.HookAsync(C1())).Single();
        await host.OverrideAsync(OrderSelect, card);
        await host.DrainAsync();

        await postgres.StopAsync();
        Assert.That(await host.Service<SnoozeIndex>().ReloadAsync(CancellationToken.None), Is.False, "a reload while the store is down");
        Assert.That(metrics.Sum("bmes_cds.ledger.snooze_refresh_failures", ("reason", "error")), Is.GreaterThanOrEqualTo(1));
        Assert.That(await host.HookAsync(C1()), Is.Empty, "the snooze read before the store went down still holds");
        var whileDown = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            whileDown.Add((await host.HookAsync(C1().AsPatient($"p-down-{i}"))).Count);
        }

        var feedback = await host.FeedbackAsync(OrderSelect, Feedback.Overridden(Guid.NewGuid().ToString()));
        await host.DrainAsync();

        Assert.That(whileDown, Is.EqualTo(new[] { 1, 1, 1 }), "every hook answered 200 with its card");
        Assert.That(feedback.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(metrics.Sum("bmes_cds.ledger.dropped_writes", ("reason", "store-error")), Is.EqualTo(4));
        Assert.That(host.Factory.Logs.Lines, Has.Some.Match("^Error .*Card ledger: \\d+ writes lost \\(store-error"));

        // Back up: the next card is written again.
        await postgres.StartAgainAsync();
        Assert.That(await host.HookAsync(C1().AsPatient("p-after")), Has.Count.EqualTo(1));
        await host.DrainAsync();
        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM issued_card"), Is.EqualTo(2));
    }
}
