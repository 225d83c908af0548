using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Records;
using BmesCds.Clinical.Terminology;
using BmesCds.Profiles;
using BmesCds.Service.CdsServices;
using BmesCds.Service.Health;
using BmesCds.Service.Http;
using BmesCds.Service.PatientData;
using BmesCds.Service.Terminology;
using BmesCds.Service.Validation;

namespace BmesCds.Service.Hosting;

/// <summary>The service's dependencies, wired in one place.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddBmesCds(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RequestBodyOptions>(configuration.GetSection("Requests"));
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
        services.AddSingleton<PatientRecordReader>();
        services.AddSingleton<IPatientRecordAssembler, ClinicalRecordAssembler>();
        services.AddPatientDataSources(configuration);
        services.AddSingleton<DiscoveryDocument>();
        services.AddSingleton<JsonBodyReader>();
        services.AddSingleton<ReplaceActionSelector>();
        services.AddSingleton<HookInvocation>();
        services.AddSingleton<FeedbackReceiver>();
        return services;
    }

    /// <summary>Prefetch, completed from the EHR's FHIR server when needed (config section "Fhir").</summary>
    private static IServiceCollection AddPatientDataSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FhirFetchOptions>()
            .Bind(configuration.GetSection(FhirFetchOptions.Section))
            .Validate(options => options.Problem() is null, "Fhir settings are out of range (TimeBudgetSeconds 0-60, MaxPages >= 1, MaxResources >= 1)")
            .ValidateOnStart();

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
        services.AddSingleton<PrefetchPlanner>();
        services.AddSingleton<PrefetchKeyResolver>();
        services.AddSingleton<IPatientRecordSource, PrefetchAndFetchRecordSource>();
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
