using System.Net;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Rules;
using BmesCds.Clinical.Terminology;
using BmesCds.Profiles;
using BmesCds.Service.Auth;
using BmesCds.Service.CdsServices;
using BmesCds.Service.FhirServers;
using BmesCds.Service.Health;
using BmesCds.Service.Http;
using BmesCds.Service.Ledger;
using BmesCds.Service.PatientData;
using BmesCds.Service.Terminology;
using BmesCds.Service.Validation;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Hosting;

/// <summary>The service's dependencies, wired in one place.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddBmesCds(this IServiceCollection services, IConfiguration configuration)
    {
        services.BindChecked<RequestLimits>(RequestLimits.Section, options => options.Problem());
        services.BindChecked<TerminologyOptions>(TerminologyOptions.Section, options => options.Problem());

        // Loaded eagerly at start-up (see Program): a missing or malformed vocabulary stops the service.
        services.AddSingleton(provider => FhirProfilesLoader.Load(provider.GetRequiredService<IOptions<TerminologyOptions>>().Value.ResolvedDirectory));
        services.AddBmesHealthChecks();
        services.AddFhirValidation(configuration);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(ClinicalClock.From(configuration));
        var cards = configuration.BindNow<CardOptions>(CardOptions.Section, options => options.Problem());
        services.AddSingleton(cards);
        services.AddSingleton(provider => new CardMapper(provider.GetRequiredService<CardOptions>()));
        services.AddSingleton(ClinicalOptionsFrom(configuration, cards));
        services.AddSingleton<ICdsEngine, BmesEngine>();
        services.AddSingleton<PrefetchTemplateSet>();
        services.AddSingleton(provider => new RecordInterest(provider.GetRequiredService<BmesTerminology>()));
        services.AddSingleton<FhirJsonWalker>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<RequestLimits>>().Value);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<PrefetchOptions>>().Value);
        services.AddSingleton<PrefetchPlanner>();
        services.AddSingleton<PatientRecordResolver>();
        services.AddSingleton<HookPipeline>();
        services.AddPatientDataSources(configuration);
        services.AddSingleton<DiscoveryDocument>();
        services.AddSingleton<RequestBodyReader>();
        services.AddSingleton<ReplaceActionSelector>();
        services.AddSingleton<HookInvocation>();
        services.AddSingleton<FeedbackReceiver>();
        return services;
    }

    /// <summary>
    /// The "Clinical" section (windows and thresholds checked), the rules switched off at this site (`Rules:Disabled`,
    /// checked against the catalogue), and the one source label of the cards (`Cards:SourceLabel`).
    /// </summary>
    private static ClinicalOptions ClinicalOptionsFrom(IConfiguration configuration, CardOptions cards)
    {
        var options = configuration.BindNow<ClinicalOptions>(ClinicalOptions.SectionName, clinical => clinical.Problem()).UseSourceLabel(cards.SourceLabel);
        var disabled = ConfigurationLists.Read(configuration, "Rules:Disabled");
        var unknown = disabled.Where(id => !RuleCatalogue.All.Any(rule => rule.Id == id)).ToList();
        if (unknown.Count > 0)
        {
            throw new StartupConfigurationException(
                $"Rules:Disabled names unknown rules: {string.Join(", ", unknown)} (known: {string.Join(", ", RuleCatalogue.All.Select(rule => rule.Id))}).");
        }

        return options.DisableRules(disabled);
    }

    /// <summary>Prefetch, completed from the EHR's FHIR server when needed (config section "Fhir").</summary>
    private static IServiceCollection AddPatientDataSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.BindChecked<FhirFetchOptions>(FhirFetchOptions.Section, options => options.Problem());
        services.BindChecked<PrefetchOptions>(PrefetchOptions.Section, options => options.Problem());
        services.AddHttpContextAccessor();
        services.AddSingleton<PublicAddressConnector>();

        // The time budget is the timeout (one per call, see PatientRecordResolver); answers are read as
        // streams under the byte caps (FhirSearchClient), never buffered by the client. No redirects: the token must
        // not follow a redirect elsewhere. No proxy: the connect-time address check must see the FHIR server's own
        // address. No decompression: a small compressed answer could expand past what the caps count. No request
        // logging: URLs carry the patient id.
        services.AddHttpClient(FhirSearchClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectCallback = provider.GetRequiredService<PublicAddressConnector>().ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                // An answer abandoned at a cap is not drained: its connection is closed.
                MaxResponseDrainSize = 0,
            })
            .RemoveAllLoggers();
        services.AddSingleton(provider => new FhirServerPolicy(
            provider.GetRequiredService<IHttpContextAccessor>(),
            provider.GetRequiredService<IOptions<FhirFetchOptions>>(),
            provider.GetService<IOptions<CdsClientAuthOptions>>()?.Value.Mode == CdsClientAuthMode.Required,
            provider.GetRequiredService<IHostEnvironment>(),
            provider.GetService<TrustedClientRegistry>(),
            provider.GetRequiredService<ILogger<FhirServerPolicy>>()));
        services.AddSingleton<FhirSearchClient>();
        return services;
    }

    /// <summary>Builds what start-up must prove before taking traffic; throws with a clear message otherwise.</summary>
    public static void LoadEagerly(IServiceProvider services)
    {
        _ = services.GetRequiredService<BmesTerminology>();
        _ = services.GetRequiredService<DiscoveryDocument>();
        services.PrepareCardLedger();
    }
}
