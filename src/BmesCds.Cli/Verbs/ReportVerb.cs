using System.Data.Common;
using System.Text.Json;
using BmesCds.Ledger.Reports;
using BmesCds.Ledger.Storage;

namespace BmesCds.Cli.Verbs;

/// <summary>
/// The card ledger's analytics from its database, as GET /admin/report gives them: per rule and per service, cards
/// issued live and in shadow, accepted, overridden by reason, without feedback, acceptance rate, median time to feedback.
/// </summary>
internal sealed class ReportVerb : ICliVerb
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Name => "report";

    public string Summary => "card ledger analytics: cards issued, accepted, overridden, per rule and per service";

    public string Usage => $"""
        usage: bmes-cds report --store SQLITE-FILE|CONNECTION-STRING [--from DATE] [--to DATE] [--format table|json]
          --store STORE    the service's ledger: its SQLite file (Ledger:SqlitePath), or a PostgreSQL connection string
                           ("Host=db;Database=bmes;Username=report;Password=..."); read only
          --from DATE      cards issued from this instant on: {ReportInstant.Expected}
          --to DATE        cards issued before this instant (same forms)
          --format FORMAT  table: one line per rule and per service (default); json: the document GET /admin/report answers
        exit 0 report printed, 1 no ledger there (or not readable by this build), 2 usage error
        """;

    public int Run(CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        var location = arguments.Required("store");
        var fromText = arguments.Optional("from");
        var toText = arguments.Optional("to");
        var format = arguments.Optional("format") ?? "table";
        arguments.RejectUnread();
        if (format is not ("table" or "json"))
        {
            throw new UsageException($"--format must be table or json, not '{format}'.");
        }

        if (!ReportInstant.TryParse(fromText, out var from))
        {
            throw new UsageException($"--from must be {ReportInstant.Expected}, not '{fromText}'.");
        }

        if (!ReportInstant.TryParse(toText, out var to))
        {
            throw new UsageException($"--to must be {ReportInstant.Expected}, not '{toText}'.");
        }

        if (!LedgerDatabase.LooksLikeConnectionString(location) && !File.Exists(location))
        {
            throw new CliFailureException($"no card ledger at '{location}': give the service's Ledger:SqlitePath file or a PostgreSQL connection string.");
        }

        var report = Build(location, from, to).GetAwaiter().GetResult();
        if (format == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(report, Indented));
        }
        else
        {
            ReportTable.Write(report, stdout);
        }

        return ExitCodes.Ok;
    }

    private static async Task<LedgerReport> Build(string location, DateTimeOffset? from, DateTimeOffset? to)
    {
        await using var database = LedgerDatabase.FromLocation(location, readOnly: true);
        try
        {
            var version = await new LedgerSchema(database).VersionAsync(CancellationToken.None).ConfigureAwait(false);
            if (version == 0)
            {
                throw new CliFailureException($"{database.Description} holds no card ledger.");
            }

            if (version != LedgerSchema.LatestVersion)
            {
                throw new CliFailureException(version < LedgerSchema.LatestVersion
                    ? $"{database.Description} has ledger schema version {version}; this bmes-cds reads version {LedgerSchema.LatestVersion}. Start the service of this build once: it migrates the schema."
                    : $"{database.Description} has ledger schema version {version}, newer than this bmes-cds knows ({LedgerSchema.LatestVersion}): use a newer build.");
            }

            return await new LedgerReporter(database).BuildAsync(from, to, DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DbException error)
        {
            throw new CliFailureException($"{database.Description} cannot be read: {error.Message}");
        }
    }
}
