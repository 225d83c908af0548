using System.Data.Common;
using System.Globalization;
using BmesCds.Ledger.Records;
using BmesCds.Ledger.Reports;
using BmesCds.Ledger.Storage;
using static BmesCds.Ledger.Tests.Entries;

namespace BmesCds.Ledger.Tests;

/// <summary>The ledger's storage against a real SQLite file and a real PostgreSQL server: the same tests, both engines.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.PostgreSql)]
public sealed class LedgerStoreTests(StoreKind kind)
{
    private LedgerDatabases _databases = null!;

    [OneTimeSetUp]
    public async Task StartEngine()
    {
        _databases = new LedgerDatabases(kind);
        await _databases.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopEngine() => await _databases.DisposeAsync();

    private async Task<(LedgerStore Store, LedgerDatabase Database)> MigratedAsync()
    {
        var (database, _) = await _databases.CreateAsync();
        await new LedgerSchema(database).MigrateAsync(CancellationToken.None);
        return (new LedgerStore(database), database);
    }

    [Test]
    public async Task Migrating_an_empty_database_creates_the_latest_schema()
    {
        var (database, _) = await _databases.CreateAsync();
        var schema = new LedgerSchema(database);
        Assert.That(await schema.VersionAsync(CancellationToken.None), Is.Zero);

        var (from, to) = await schema.MigrateAsync(CancellationToken.None);

        Assert.That((from, to), Is.EqualTo((0, LedgerSchema.LatestVersion)));
        Assert.That(await schema.VersionAsync(CancellationToken.None), Is.EqualTo(LedgerSchema.LatestVersion));
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM issued_card"), Is.Zero);
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM feedback WHERE card_known = 0"), Is.Zero);
    }

    [Test]
    public async Task Migrating_from_version_1_keeps_the_rows_and_flags_feedback_whose_card_was_never_issued()
    {
        var (database, _) = await _databases.CreateAsync();
        var schema = new LedgerSchema(database);
        await schema.MigrateAsync(CancellationToken.None, target: 1);
        // Rows as version 1 stored them (no card_known column yet).
        await ExecuteAsync(database, """
            INSERT INTO issued_card (card_uuid, mode, issued_at, service_id, hook, hook_instance, client, patient_key, rule_id, indicator, joint, side, order_codes)
            VALUES ('known', 'live', 1795867200000, 'bmes-order-select', 'order-select', 'h1', 'anonymous', 'k', 'replace-with-mri', 'warning', 'hip', 'left', '[]')
            """);
        await ExecuteAsync(database, """
            INSERT INTO feedback (item_key, card_uuid, service_id, client, outcome, accepted_suggestions, outcome_at, received_at)
            VALUES ('f1', 'known', 'bmes-order-select', 'anonymous', 'overridden', '[]', 1795867300000, 1795867300000),
                   ('f2', 'never-issued', 'bmes-order-select', 'anonymous', 'overridden', '[]', 1795867300000, 1795867300000)
            """);

        var (from, to) = await schema.MigrateAsync(CancellationToken.None);

        Assert.That((from, to), Is.EqualTo((1, LedgerSchema.LatestVersion)));
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM issued_card"), Is.EqualTo(1));
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM feedback WHERE card_known = 1 AND card_uuid = 'known'"), Is.EqualTo(1));
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM feedback WHERE card_known = 0 AND card_uuid = 'never-issued'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Migrating_a_migrated_database_changes_nothing()
    {
        var (_, database) = await MigratedAsync();

        var (from, to) = await new LedgerSchema(database).MigrateAsync(CancellationToken.None);

        Assert.That((from, to), Is.EqualTo((LedgerSchema.LatestVersion, LedgerSchema.LatestVersion)));
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM ledger_schema"), Is.EqualTo(LedgerSchema.LatestVersion));
    }

    [Test]
    public async Task Two_instances_migrating_at_once_apply_each_version_once()
    {
        var (database, openAgain) = await _databases.CreateAsync();
        var other = openAgain();

        var results = await Task.WhenAll(
            new LedgerSchema(database).MigrateAsync(CancellationToken.None),
            new LedgerSchema(other).MigrateAsync(CancellationToken.None));

        Assert.That(results.Count(result => result.From == 0), Is.EqualTo(1), "exactly one instance migrated from scratch");
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM ledger_schema"), Is.EqualTo(LedgerSchema.LatestVersion));
    }

    [Test]
    public async Task A_schema_newer_than_this_build_is_refused()
    {
        var (_, database) = await MigratedAsync();
        await ExecuteAsync(database, $"INSERT INTO ledger_schema (version, description, applied_at) VALUES ({LedgerSchema.LatestVersion + 1}, 'future', 0)");

        var refusal = Assert.ThrowsAsync<LedgerSchemaException>(() => new LedgerSchema(database).MigrateAsync(CancellationToken.None));

        Assert.That(refusal!.Message, Does.Contain($"schema version {LedgerSchema.LatestVersion + 1}"));
    }

    [Test]
    public async Task An_issued_card_with_accepted_feedback_is_counted_by_the_report()
    {
        var (store, database) = await MigratedAsync();

        await store.WriteAsync([Card("c1")], CancellationToken.None);
        var written = await store.WriteAsync([Accepted("c1", Day0.AddSeconds(40))], CancellationToken.None);
        var report = await new LedgerReporter(database).BuildAsync(null, null, Day0.AddDays(1), CancellationToken.None);

        Assert.That(written.Single(), Is.EqualTo(new FeedbackWritten(written[0].Feedback, true, "replace-with-mri")));
        var rule = report.ByRule.Single();
        Assert.That(rule.Key, Is.EqualTo("replace-with-mri"));
        Assert.That((rule.IssuedLive, rule.Accepted, rule.Overridden, rule.NoFeedback), Is.EqualTo((1L, 1L, 0L, 0L)));
        Assert.That(rule.AcceptanceRate, Is.EqualTo(1.0));
        Assert.That(rule.MedianSecondsToFeedback, Is.EqualTo(40.0));
        Assert.That(report.ByService.Single().Key, Is.EqualTo("bmes-order-select"));
    }

    [Test]
    public async Task The_report_counts_live_and_shadow_apart_overrides_by_reason_cards_without_feedback_and_the_median_delay()
    {
        var (store, database) = await MigratedAsync();
        await store.WriteAsync(
        [
            Card("a1"), Card("a2"), Card("o1"), Card("o2"), Card("o3"), Card("n1"),
            Card("s1", mode: CardMode.Shadow), Card("s2", mode: CardMode.Shadow),
            Card("p1", rule: "mri-recommended", service: "bmes-patient-view"),
        ], CancellationToken.None);
        await store.WriteAsync(
        [
            Accepted("a1", Day0.AddSeconds(10)),
            Accepted("a2", Day0.AddSeconds(20)),
            Overridden("o1", Day0.AddSeconds(30), "mri-unavailable"),
            Overridden("o2", Day0.AddSeconds(40), "mri-unavailable"),
            Overridden("o3", Day0.AddSeconds(50), null, comment: "not now"),
            // A later second item for a1 does not change its outcome (the first one counts).
            Overridden("a1", Day0.AddSeconds(90), "clinical-judgment"),
            Overridden("p1", Day0.AddMinutes(5), "patient-declined", service: "bmes-patient-view"),
            Overridden("ghost", Day0.AddSeconds(5)),
        ], CancellationToken.None);

        var report = await new LedgerReporter(database).BuildAsync(null, null, Day0.AddDays(1), CancellationToken.None);

        var replace = report.ByRule.Single(line => line.Key == "replace-with-mri");
        Assert.That((replace.IssuedLive, replace.IssuedShadow, replace.Accepted, replace.Overridden, replace.NoFeedback), Is.EqualTo((6L, 2L, 2L, 3L, 1L)));
        Assert.That(replace.OverriddenByReason, Is.EqualTo(new[]
        {
            new ReasonCount("mri-unavailable", "display of mri-unavailable", 2),
            new ReasonCount(null, null, 1),
        }));
        Assert.That(replace.AcceptanceRate, Is.EqualTo(0.4));
        Assert.That(replace.MedianSecondsToFeedback, Is.EqualTo(30.0), "median of 10, 20, 30, 40, 50 s");
        Assert.That(replace.FeedbackForUnknownCards, Is.Null);
        var patientView = report.ByService.Single(line => line.Key == "bmes-patient-view");
        Assert.That((patientView.IssuedLive, patientView.Overridden, patientView.MedianSecondsToFeedback), Is.EqualTo((1L, 1L, (double?)300.0)));
        var orderSelect = report.ByService.Single(line => line.Key == "bmes-order-select");
        Assert.That(orderSelect.FeedbackForUnknownCards, Is.EqualTo(1));
        Assert.That((report.Total.IssuedLive, report.Total.IssuedShadow, report.Total.FeedbackForUnknownCards), Is.EqualTo((7L, 2L, (long?)1)));
    }

    [Test]
    public async Task The_report_window_counts_only_cards_issued_from_its_start_and_before_its_end()
    {
        var (store, database) = await MigratedAsync();
        await store.WriteAsync([Card("before", Day0.AddDays(-2)), Card("inside", Day0), Card("end", Day0.AddDays(1))], CancellationToken.None);

        var report = await new LedgerReporter(database).BuildAsync(Day0.AddDays(-1), Day0.AddDays(1), Day0.AddDays(2), CancellationToken.None);

        Assert.That(report.Total.IssuedLive, Is.EqualTo(1));
        Assert.That((report.From, report.To), Is.EqualTo(((DateTimeOffset?)Day0.AddDays(-1), (DateTimeOffset?)Day0.AddDays(1))));
    }

    [Test]
    public async Task The_same_feedback_item_written_twice_is_stored_once()
    {
        var (store, database) = await MigratedAsync();
        await store.WriteAsync([Card("c1")], CancellationToken.None);
        var item = Overridden("c1", Day0.AddMinutes(1));

        var first = await store.WriteAsync([item], CancellationToken.None);
        var again = await store.WriteAsync([item, item], CancellationToken.None);

        Assert.That(first.Single().Stored, Is.True);
        Assert.That(again.Select(written => written.Stored), Is.All.False);
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM feedback"), Is.EqualTo(1));
    }

    [Test]
    public async Task Feedback_for_a_card_never_issued_is_stored_flagged_and_unflagged_once_the_card_is_written()
    {
        var (store, database) = await MigratedAsync();

        var written = await store.WriteAsync([Overridden("late-card", Day0)], CancellationToken.None);
        var flagged = await CountAsync(database, "SELECT COUNT(*) FROM feedback WHERE card_uuid = 'late-card' AND card_known = 0");
        // Another instance issued the card and wrote it after the feedback arrived here.
        await store.WriteAsync([Card("late-card")], CancellationToken.None);

        Assert.That(written.Single().CardRuleId, Is.Null);
        Assert.That(written.Single().Stored, Is.True);
        Assert.That(flagged, Is.EqualTo(1));
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM feedback WHERE card_uuid = 'late-card' AND card_known = 1"), Is.EqualTo(1));
    }

    [Test]
    public async Task Active_snoozes_name_every_rule_merged_into_a_live_card_overridden_within_the_window_per_patient()
    {
        var (store, _) = await MigratedAsync();
        await store.WriteAsync(
        [
            Card("merged", rule: "osteonecrosis-risk", fired: ["osteonecrosis-risk", "replace-with-mri"]),
            Card("accepted", rule: "mri-without-contrast", joint: "knee"),
            Card("old", Day0.AddDays(-40), rule: "pregnancy-avoid-ionizing", side: "right"),
            Card("other-patient", patientKey: "patient-b"),
            Card("shadow", mode: CardMode.Shadow, rule: "mri-recommended"),
        ], CancellationToken.None);
        await store.WriteAsync(
        [
            Overridden("merged", Day0.AddHours(1)),
            Accepted("accepted", Day0.AddHours(1)),
            Overridden("old", Day0.AddDays(-40)),
            Overridden("other-patient", Day0.AddHours(1)),
            Overridden("shadow", Day0.AddHours(1)),
        ], CancellationToken.None);

        var snoozes = await store.ActiveSnoozesAsync(Day0.AddDays(-30), CancellationToken.None);

        Assert.That(
            snoozes.OrderBy(s => s.PatientKey, StringComparer.Ordinal).ThenBy(s => s.Snooze.RuleId, StringComparer.Ordinal),
            Is.EqualTo(new[]
            {
                new PatientSnooze("patient-a", new Snooze("osteonecrosis-risk", "hip", "left", Day0.AddHours(1))),
                new PatientSnooze("patient-a", new Snooze("replace-with-mri", "hip", "left", Day0.AddHours(1))),
                new PatientSnooze("patient-b", new Snooze("replace-with-mri", "hip", "left", Day0.AddHours(1))),
            }));
    }

    [Test]
    public async Task Retention_deletes_cards_and_feedback_older_than_the_cutoff_and_keeps_the_rest()
    {
        var (store, database) = await MigratedAsync();
        await store.WriteAsync([Card("old", Day0.AddDays(-401)), Card("recent", Day0.AddDays(-10))], CancellationToken.None);
        await store.WriteAsync([Overridden("old", Day0.AddDays(-401)), Accepted("recent", Day0.AddDays(-9))], CancellationToken.None);

        var removed = await store.DeleteOlderThanAsync(Day0.AddDays(-400), CancellationToken.None);

        Assert.That(removed, Is.EqualTo(new RetentionResult(1, 1)));
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM issued_card WHERE card_uuid = 'recent'"), Is.EqualTo(1));
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM card_rule"), Is.EqualTo(1));
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM card_suggestion"), Is.EqualTo(1));
        Assert.That(await CountAsync(database, "SELECT COUNT(*) FROM feedback"), Is.EqualTo(1));
    }

    [Test]
    public async Task An_issued_card_is_stored_with_its_rules_suggestions_and_codes_and_never_a_patient_id()
    {
        var (store, database) = await MigratedAsync();

        await store.WriteAsync([Card("c1", rule: "osteonecrosis-risk", fired: ["osteonecrosis-risk", "replace-with-mri"])], CancellationToken.None);

        Assert.That(await TextAsync(database, "SELECT rule_id FROM card_rule WHERE card_uuid = 'c1' AND position = 1"), Is.EqualTo("replace-with-mri"));
        Assert.That(await TextAsync(database, "SELECT order_codes FROM issued_card"), Is.EqualTo("""["http://loinc.org|36487-7"]"""));
        Assert.That(await TextAsync(database, "SELECT codes FROM card_suggestion"), Does.Contain("http://loinc.org|36488-5"));
        Assert.That(await TextAsync(database, "SELECT patient_key FROM issued_card"), Is.EqualTo("patient-a"));
    }

    private static async Task<long> CountAsync(LedgerDatabase database, string sql) =>
        Convert.ToInt64(await ScalarAsync(database, sql), CultureInfo.InvariantCulture);

    private static async Task<string?> TextAsync(LedgerDatabase database, string sql) => await ScalarAsync(database, sql) as string;

    private static async Task<object?> ScalarAsync(LedgerDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(LedgerDatabase database, string sql)
    {
        await using DbConnection connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
