using System.Text.Json;
using BmesCds.Ledger.Records;
using BmesCds.Ledger.Storage;
using static BmesCds.Cli.Tests.CliRun;

namespace BmesCds.Cli.Tests;

/// <summary>bmes-cds report against a real ledger: a SQLite file and a PostgreSQL database written by the ledger's store.</summary>
[TestFixture]
public sealed class ReportVerbTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private string _folder = null!;

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("bmes-cli-report-").FullName;

    [TearDown]
    public void RemoveFolder()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Two replace-with-mri cards (one accepted after 30 s, one overridden for MRI unavailable), one shadow card.</summary>
    private static async Task FillAsync(LedgerDatabase database, int? schemaVersion = null)
    {
        await new LedgerSchema(database).MigrateAsync(CancellationToken.None, schemaVersion);
        if (schemaVersion is not null)
        {
            return;
        }

        var store = new LedgerStore(database);
        await store.WriteAsync([Card("a", CardMode.Live), Card("o", CardMode.Live), Card("s", CardMode.Shadow)], CancellationToken.None);
        await store.WriteAsync(
        [
            Feedback("a", RecordedOutcome.Accepted, ["a-s1"], null),
            Feedback("o", RecordedOutcome.Overridden, [], "mri-unavailable"),
        ], CancellationToken.None);
    }

    private static IssuedCard Card(string uuid, CardMode mode) => new(
        uuid, mode, Day0, "bmes-order-select", "order-select", "h-" + uuid, "anonymous", "key", "replace-with-mri", ["replace-with-mri"],
        "warning", "hip", "left", ["http://loinc.org|36487-7"], []);

    private static ReceivedFeedback Feedback(string card, RecordedOutcome outcome, string[] accepted, string? reason) => new(
        ReceivedFeedback.KeyOf(card, outcome, accepted, null, reason, null, Day0),
        card, "bmes-order-select", "anonymous", outcome, accepted, reason is null ? null : "https://bmes-cds.org/fhir/CodeSystem/bmes-override-reason",
        reason, reason is null ? null : "MRI unavailable", null, Day0.AddSeconds(30), Day0.AddSeconds(30));

    [Test]
    public async Task Report_of_a_sqlite_ledger_as_json_is_the_admin_report_document()
    {
        var path = Path.Combine(_folder, "bmes-cds.db");
        await using (var database = LedgerDatabase.Sqlite(path))
        {
            await FillAsync(database);
        }

        var (code, output, error) = Run("report", "--store", path, "--format", "json");

        Assert.That(code, Is.Zero, error);
        var rule = JsonDocument.Parse(output).RootElement.GetProperty("byRule")[0];
        Assert.That(rule.GetProperty("key").GetString(), Is.EqualTo("replace-with-mri"));
        Assert.That(rule.GetProperty("issuedLive").GetInt64(), Is.EqualTo(2));
        Assert.That(rule.GetProperty("issuedShadow").GetInt64(), Is.EqualTo(1));
        Assert.That(rule.GetProperty("accepted").GetInt64(), Is.EqualTo(1));
        Assert.That(rule.GetProperty("overriddenByReason")[0].GetProperty("code").GetString(), Is.EqualTo("mri-unavailable"));
        Assert.That(rule.GetProperty("acceptanceRate").GetDouble(), Is.EqualTo(0.5));
        Assert.That(rule.GetProperty("medianSecondsToFeedback").GetDouble(), Is.EqualTo(30.0));
    }

    [Test]
    public async Task Report_as_a_table_shows_each_rule_and_service_with_the_override_reasons()
    {
        var path = Path.Combine(_folder, "bmes-cds.db");
        await using (var database = LedgerDatabase.Sqlite(path))
        {
            await FillAsync(database);
        }

        var (code, output, error) = Run("report", "--store", path, "--from", "2026-11-01", "--to", "2026-12-01");

        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("Cards issued 2026-11-01 00:00:00Z to 2026-12-01 00:00:00Z"));
        Assert.That(output, Does.Match(@"replace-with-mri\s+2\s+1\s+1\s+1\s+0\s+50%\s+30 s"));
        Assert.That(output, Does.Match(@"bmes-order-select\s+2\s+1"));
        Assert.That(output, Does.Contain("overridden, mri-unavailable (MRI unavailable): 1"));
    }

    [Test]
    public async Task Report_of_a_postgresql_ledger_reads_the_connection_string()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync();
        await using (var database = LedgerDatabase.PostgreSql(connectionString))
        {
            await FillAsync(database);
        }

        var (code, output, error) = Run("report", "--store", connectionString, "--format", "json");

        Assert.That(code, Is.Zero, error);
        Assert.That(JsonDocument.Parse(output).RootElement.GetProperty("total").GetProperty("issuedLive").GetInt64(), Is.EqualTo(2));
    }

    [Test]
    public void A_missing_file_is_exit_1_naming_it()
    {
        var (code, _, error) = Run("report", "--store", Path.Combine(_folder, "none.db"));

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("no card ledger at").And.Contain("none.db"));
    }

    [Test]
    public async Task A_ledger_of_an_older_schema_is_exit_1_saying_how_to_migrate_it()
    {
        var path = Path.Combine(_folder, "old.db");
        await using (var database = LedgerDatabase.Sqlite(path))
        {
            await FillAsync(database, schemaVersion: 1);
        }

        var (code, _, error) = Run("report", "--store", path);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("schema version 1").And.Contain("Start the service of this build once"));
    }

    [TestCase("--from", "last week", "--from must be a date")]
    [TestCase("--format", "csv", "--format must be table or json")]
    public void A_bad_option_is_exit_2(string option, string value, string message)
    {
        var (code, _, error) = Run("report", "--store", "x.db", option, value);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain(message));
    }
}
