using BmesCds.Service.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// The real host, in process, with a fixed clock, optional settings and optional extra services (registered last,
/// so they replace the host's). Each fixture starts its own. <paramref name="logsFrom"/> is the lowest level
/// <see cref="Logs"/> keeps (every level unless told; a long run keeps only what it checks).
/// </summary>
public sealed class BmesCdsFactory(
    IReadOnlyDictionary<string, string?>? settings = null,
    DateTimeOffset? now = null,
    Action<IServiceCollection>? configureServices = null,
    string environment = "Development",
    LogLevel logsFrom = LogLevel.Trace)
    : WebApplicationFactory<Program>
{
    /// <summary>The management key of every test host (Management:ApiKeys:0), for /metrics.</summary>
    public const string ManagementKey = "test-management-key-4f1c9a";

    private readonly string _ledgerFolder = Directory.CreateTempSubdirectory("bmes-host-ledger-").FullName;

    public const string TestPatientKeySecret = "test-patient-key-secret-0123456789abcdef";

    /// <summary>Every log line the host writes, at every level (from <c>logsFrom</c> on).</summary>
    public LogSink Logs { get; } = new();

    /// <summary>The host's SQLite ledger, in a temporary folder of its own (unless the settings choose another store).</summary>
    public string LedgerPath => Path.Combine(_ledgerFolder, "bmes-cds.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Auth:Mode", "Disabled");
        builder.UseSetting("Management:ApiKeys:0", ManagementKey);

        // Never the default data/bmes-cds.db beside the content root: that is the source tree.
        builder.UseSetting("Ledger:SqlitePath", LedgerPath);

        // Production needs a configured secret; tests that want one generated set it to "".
        builder.UseSetting("Ledger:PatientKeySecret", TestPatientKeySecret);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<LogSink>(null, logsFrom));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<ClinicalClock>();
            services.AddSingleton(new ClinicalClock(new SampleClock(now ?? SampleClock.SampleNow)));
        });
        if (configureServices is not null)
        {
            builder.ConfigureServices(configureServices);
        }
    }

    /// <summary>A client whose every service-call response is held to the CDS Hooks conformance rules.</summary>
    public HttpClient CreateCheckedClient() => CreateDefaultClient(new ConformanceCheckingHandler());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_ledgerFolder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }
}
