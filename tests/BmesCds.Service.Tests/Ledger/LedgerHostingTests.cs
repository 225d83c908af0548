using System.Net;
using BmesCds.Service.Hosting;
using BmesCds.Service.Ledger;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static BmesCds.Service.Tests.Ledger.ClinicalRequests;

namespace BmesCds.Service.Tests.Ledger;

/// <summary>The ledger's start-up (SQLite file, patient key secret, settings), its bounded queue, retention and metrics.</summary>
public sealed class LedgerHostingTests
{
    private string _folder = null!;

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("bmes-ledger-hosting-").FullName;

    [TearDown]
    public void RemoveFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task The_sqlite_file_and_a_patient_key_secret_are_created_on_first_start_and_reused_after_a_restart()
    {
        var path = Path.Combine(_folder, "new", "bmes-cds.db");
        var settings = new Dictionary<string, string?> { ["Ledger:SqlitePath"] = path, ["Ledger:PatientKeySecret"] = "" };
        using (var first = new LedgerHost(settings: settings))
        {
            await first.HookAsync(C1());
            await first.DrainAsync();
            Assert.That(first.Factory.Logs.Lines, Has.Some.Contains("generated a patient key secret"));
        }

        Assert.That(File.Exists(path), Is.True);
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path + ".patient-key"), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        using var second = new LedgerHost(settings: settings);
        await second.HookAsync(C1());
        await second.DrainAsync();

        Assert.That(await second.CountAsync("SELECT COUNT(*) FROM issued_card"), Is.EqualTo(2));
        Assert.That(await second.CountAsync("SELECT COUNT(DISTINCT patient_key) FROM issued_card"), Is.EqualTo(1), "same patient, same key");
    }

    [TestCase("Production", "Sqlite", "Ledger:PatientKeySecret is required in Production")]
    [TestCase("Development", "PostgreSql", "Ledger:PatientKeySecret is required with Ledger:Store PostgreSql")]
    public void Without_a_patient_key_secret_the_service_does_not_start_where_one_is_required(string environment, string store, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ledger:Store"] = store,
            ["Ledger:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=x",
            ["Ledger:PatientKeySecret"] = "",
        };
        using var factory = new BmesCdsFactory(settings, environment: environment);

        var failure = Assert.Throws<StartupConfigurationException>(() => factory.CreateClient());

        Assert.That(failure!.Message, Does.Contain(message));
    }

    [TestCase("Rules:Disabled:0", "no-such-rule", "Rules:Disabled names unknown rules: no-such-rule")]
    [TestCase("Cards:Mode", "Quiet", "Cards:Mode must be Live or Shadow")]
    [TestCase("Cards:Services:bmes-order-sing:Mode", "Shadow", "Cards:Services:bmes-order-sing names no CDS service")]
    [TestCase("Ledger:SnoozeDays", "-1", "Ledger:SnoozeDays must be from 0 to 365")]
    [TestCase("Ledger:RetentionDays", "10", "Ledger:RetentionDays must be at least Ledger:SnoozeDays")]
    [TestCase("Ledger:Store", "PostgreSql", "Ledger:ConnectionString is required when Ledger:Store is PostgreSql")]
    [TestCase("Ledger:PatientKeySecret", "short", "Ledger:PatientKeySecret must be at least 32 bytes")]
    [TestCase("Management:ApiKeys:0", "short", "Management:ApiKeys:0 must be at least 16 characters")]
    public void A_wrong_setting_stops_the_start_with_a_message_naming_it(string key, string value, string message)
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Catch(() => factory.CreateClient());

        Assert.That(failure!.Message, Does.Contain(message));
    }

    [Test]
    public async Task Rules_disabled_as_one_comma_separated_value_are_each_switched_off()
    {
        using var host = new LedgerHost(settings: new() { ["Rules:Disabled"] = "mri-recommended, replace-with-mri" });

        Assert.That(await host.HookAsync(C1()), Is.Empty);
        Assert.That(await host.HookAsync(X15()), Is.Empty);
    }

    [Test]
    public async Task When_the_queue_is_full_writes_are_dropped_and_counted_while_every_hook_gets_its_card()
    {
        var path = Path.Combine(_folder, "locked.db");
        using var host = new LedgerHost(settings: new() { ["Ledger:SqlitePath"] = path, ["Ledger:QueueCapacity"] = "2" });
        using var metrics = new MetricsCollector(host.Factory.Services);
        await host.HookAsync(C1());
        await host.DrainAsync();

        // Another process holds the write lock: the writer waits (SQLite busy timeout) and the queue fills up.
        await using (var locker = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await locker.OpenAsync();
            await using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }

            var answered = new List<int> { (await host.HookAsync(C1().AsPatient("p-0"))).Count };

            // The writer takes the first card (after its batch wait) and hangs on the lock: the queue then holds 2.
            Assert.That(await Poll.UntilAsync(() => metrics.Observe("bmes_cds.ledger.queue_depth") == 0, TimeSpan.FromSeconds(10)), Is.True);
            for (var i = 1; i < 10; i++)
            {
                answered.Add((await host.HookAsync(C1().AsPatient($"p-{i}"))).Count);
            }

            Assert.That(answered, Has.All.EqualTo(1));
            Assert.That(metrics.Observe("bmes_cds.ledger.queue_depth"), Is.EqualTo(2));
        }

        await host.DrainAsync();
        var dropped = metrics.Sum("bmes_cds.ledger.dropped_writes", ("reason", "queue-full"));
        var stored = await host.CountAsync("SELECT COUNT(*) FROM issued_card") - 1;
        Assert.That(dropped, Is.GreaterThanOrEqualTo(6), "at most the batch being written and 2 queued are kept");
        Assert.That(stored + metrics.Sum("bmes_cds.ledger.dropped_writes"), Is.EqualTo(10), "every card is either stored or counted as lost");
        Assert.That(host.Factory.Logs.Lines, Has.Some.Match("^Error .*writes lost \\(queue-full\\)"));
    }

    [Test]
    public async Task Retention_deletes_what_is_older_than_the_retention_days()
    {
        using var host = new LedgerHost();
        await host.HookAsync(C1());
        await host.DrainAsync();
        host.Clock.Advance(TimeSpan.FromDays(401));
        await host.HookAsync(X15());
        await host.DrainAsync();

        var removed = await host.Service<RetentionJob>().SweepAsync(CancellationToken.None);

        Assert.That(removed, Is.EqualTo(new BmesCds.Ledger.Storage.RetentionResult(1, 0)));
        Assert.That((await host.ReportAsync()).ByRule.Single().Key, Is.EqualTo("mri-recommended"));
    }

    [Test]
    public async Task Feedback_metrics_carry_service_rule_outcome_and_a_known_reason_and_nothing_else()
    {
        using var host = new LedgerHost();
        using var metrics = new MetricsCollector(host.Factory.Services);
        var first = (await host.HookAsync(C1())).Single();
        var second = (await host.HookAsync(C1().AsPatient("p-2"))).Single();

        await host.AcceptAsync(OrderSelect, first);
        await host.OverrideAsync(OrderSelect, second, "made-up-by-the-client");
        await host.FeedbackAsync(OrderSelect, Feedback.Overridden("never-issued", "patient-declined"));
        await host.DrainAsync();

        Assert.That(metrics.Of("bmes_cds.feedback").Select(m => string.Join(",", m.Tags.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"))), Is.EquivalentTo(new[]
        {
            "outcome=accepted,rule=replace-with-mri,service=bmes-order-select",
            "outcome=overridden,reason=other,rule=replace-with-mri,service=bmes-order-select",
            "outcome=overridden,reason=patient-declined,rule=unknown,service=bmes-order-select",
        }));
    }

    [Test]
    public async Task Feedback_log_lines_stay_bounded_and_never_carry_the_comment()
    {
        using var host = new LedgerHost();
        var longCard = new string('x', 10_000);
        var comment = "private remark " + new string('y', 10_000);

        var response = await host.FeedbackAsync(OrderSelect, $$"""
            {"feedback":[{"card":"{{longCard}}","outcome":"overridden","overrideReason":{"userComment":"{{comment}}"},
              "outcomeTimestamp":"2026-11-28T12:01:00Z"}]}
            """);
        await host.DrainAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var feedbackLines = host.Factory.Logs.Lines.Where(line => line.Contains("Feedback for", StringComparison.Ordinal)).ToList();
        Assert.That(feedbackLines.Single(), Does.Contain("card (not an id: 10000 characters) Overridden"));
        Assert.That(host.Factory.Logs.All, Does.Not.Contain("xxxxxxxxxx").And.Not.Contain("private remark"));
        Assert.That(host.Factory.Logs.Lines.Max(line => line.Length), Is.LessThan(2000));
        Assert.That(await host.CountAsync("SELECT MAX(LENGTH(user_comment)) FROM feedback"), Is.EqualTo(1000), "the stored comment is cut to Ledger:MaxCommentLength");
    }

    [Test]
    public async Task With_store_none_hooks_and_feedback_work_and_the_report_says_there_is_no_ledger()
    {
        using var host = new LedgerHost(settings: new() { ["Ledger:Store"] = "None", ["Cards:Mode"] = "Shadow" });

        var cards = await host.HookAsync(C1());
        var feedback = await host.FeedbackAsync(OrderSelect, Feedback.Overridden("c"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/report");
        request.Headers.Authorization = new("Bearer", LedgerHost.ManagementKey);
        using var report = await host.Client.SendAsync(request);

        Assert.That(cards, Is.Empty, "shadow mode holds without a store");
        Assert.That(feedback.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Json.ReadOutcomeAsync(report)).Diagnostics, Does.Contain("Ledger:Store is None"));
        Assert.That(File.Exists(host.Factory.LedgerPath), Is.False);
    }
}
