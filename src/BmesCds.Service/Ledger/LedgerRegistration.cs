using BmesCds.CdsHooks.Discovery;
using BmesCds.Ledger.Records;
using BmesCds.Ledger.Reports;
using BmesCds.Ledger.Storage;
using BmesCds.Service.Hosting;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Ledger;

/// <summary>Wires the card ledger (README "Card ledger"): options, store, queue, writer, snooze index, shadow mode, retention, report.</summary>
public static class LedgerRegistration
{
    public static IServiceCollection AddCardLedger(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // Checked at start (BindChecked); the store and the file are read here only to choose what to register.
        services.BindChecked<LedgerOptions>(LedgerOptions.Section, options => options.Problem());
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<LedgerOptions>>().Value);
        var options = configuration.GetSection(LedgerOptions.Section).Get<LedgerOptions>() ?? new LedgerOptions();
        services.AddSingleton(CardModes.From(configuration));
        services.AddSingleton(provider => new LedgerClock(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<LedgerMetrics>();
        services.AddSingleton<LossLog>();
        if (options.Store == LedgerStoreKind.None)
        {
            services.AddSingleton<ICardLedger>(provider => Ledger(provider, null, null, null));
            services.AddSingleton(provider => new FeedbackRecorder(null, provider.GetRequiredService<LedgerClock>(), provider.GetRequiredService<LedgerOptions>()));
            services.AddSingleton(provider => new LedgerReports(null, provider.GetRequiredService<LedgerClock>()));
            return services;
        }

        var sqliteFile = options.Store == LedgerStoreKind.Sqlite ? Path.Combine(environment.ContentRootPath, options.SqlitePath) : null;
        services.AddSingleton(provider => sqliteFile is not null
            ? LedgerDatabase.Sqlite(sqliteFile)
            : LedgerDatabase.PostgreSql(provider.GetRequiredService<LedgerOptions>().ConnectionString!));
        services.AddSingleton(provider => new LedgerStore(provider.GetRequiredService<LedgerDatabase>()));
        services.AddSingleton<LedgerState>();
        services.AddSingleton<LedgerQueue>();
        services.AddSingleton<SnoozeIndex>();
        services.AddSingleton(provider => PatientKeySecret.Resolve(
            provider.GetRequiredService<LedgerOptions>(), sqliteFile, environment, provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PatientKeySecret).FullName!)));
        services.AddSingleton<ICardLedger>(provider => Ledger(
            provider,
            provider.GetRequiredService<PatientKey>(),
            provider.GetRequiredService<SnoozeIndex>(),
            provider.GetRequiredService<LedgerQueue>()));
        services.AddSingleton(provider => new FeedbackRecorder(
            provider.GetRequiredService<LedgerQueue>(), provider.GetRequiredService<LedgerClock>(), provider.GetRequiredService<LedgerOptions>()));
        services.AddSingleton(provider => new LedgerReports(
            new LedgerReporter(provider.GetRequiredService<LedgerDatabase>()), provider.GetRequiredService<LedgerClock>()));
        services.AddHostedService<LedgerWriter>();

        // After the writer, whose start migrates the schema that the first load reads.
        services.AddHostedService<SnoozeRefresher>();
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(provider => provider.GetRequiredService<RetentionJob>());
        return services;
    }

    /// <summary>At start, before traffic: resolves the patient key secret (a missing one stops the start) and logs the settings.</summary>
    public static void PrepareCardLedger(this IServiceProvider services)
    {
        var options = services.GetRequiredService<LedgerOptions>();
        _ = services.GetRequiredService<ICardLedger>();
        var modes = services.GetRequiredService<CardModes>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LedgerRegistration).FullName!);
        var cards = string.Join(", ", CdsServiceCatalogue.All.Select(service => $"{service.Id} {LedgerCodes.Of(modes.For(service.Id))}"));
        logger.LogInformation(
            "Card ledger: store {Store}, snooze {SnoozeDays} days, retention {RetentionDays} days; cards: {Modes}",
            options.Store == LedgerStoreKind.None ? "None" : services.GetRequiredService<LedgerDatabase>().Description,
            options.SnoozeDays,
            options.RetentionDays,
            cards);
        if (options.Store == LedgerStoreKind.None && modes.AnyShadow)
        {
            logger.LogWarning("Shadow mode with Ledger:Store None: cards are evaluated, answered as none, and recorded nowhere");
        }
    }

    private static CardLedger Ledger(IServiceProvider provider, PatientKey? keys, SnoozeIndex? snoozes, LedgerQueue? queue) => new(
        provider.GetRequiredService<CardModes>(),
        keys,
        snoozes,
        queue,
        provider.GetRequiredService<LedgerClock>(),
        provider.GetRequiredService<LedgerMetrics>(),
        provider.GetRequiredService<ILogger<CardLedger>>());
}
