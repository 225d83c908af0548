using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Terminology;
using BmesCds.Profiles;
using BmesCds.Service.CdsServices;
using BmesCds.Service.Health;
using BmesCds.Service.Http;
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
        services.Configure<TerminologyOptions>(configuration.GetSection("Terminology"));

        // Loaded eagerly at start-up (see Program): a missing or malformed vocabulary stops the service.
        services.AddSingleton(provider => FhirProfilesLoader.Load(
            configuration.GetSection("Terminology").Get<TerminologyOptions>()?.Directory ?? new TerminologyOptions().Directory));
        services.AddSingleton<IReadinessCheck, TerminologyReadiness>();
        services.AddFhirValidation(configuration);
        services.AddSingleton<IReadinessCheck, ValidatorReadinessCheck>();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(ClinicalClock.From(configuration));
        services.AddSingleton(configuration.GetSection("Cards").Get<CardOptions>() ?? new CardOptions());
        services.AddSingleton(provider => new CardMapper(provider.GetRequiredService<CardOptions>()));
        services.AddSingleton(configuration.GetSection(ClinicalOptions.SectionName).Get<ClinicalOptions>() ?? new ClinicalOptions());
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

    /// <summary>Prefetch, completed from the EHR's FHIR server when needed (config section "Fhir").</summary>
    private static IServiceCollection AddPatientDataSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.BindChecked<FhirFetchOptions>(FhirFetchOptions.Section, options => options.Problem());
        services.BindChecked<PrefetchOptions>(PrefetchOptions.Section, options => options.Problem());

        // The time budget is the timeout (one per call, see PrefetchAndFetchRecordSource). No redirects: the token
        // must not follow a redirect elsewhere. No request logging: URLs carry the patient id.
        services.AddHttpClient(FhirSearchClient.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.MaxResponseContentBufferSize = MaxFhirAnswerBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RemoveAllLoggers();
        services.AddSingleton<FhirSearchClient>();
        return services;
    }

    // One searchset page of 200 resources is well under this; a larger answer is refused, not buffered.
    private const int MaxFhirAnswerBytes = 32 * 1024 * 1024;

    /// <summary>Builds what start-up must prove before taking traffic; throws with a clear message otherwise.</summary>
    public static void LoadEagerly(IServiceProvider services)
    {
        _ = services.GetRequiredService<BmesTerminology>();
        _ = services.GetRequiredService<DiscoveryDocument>();
    }
}
