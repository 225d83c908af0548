using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Records;
using BmesCds.Clinical.Terminology;
using BmesCds.Service.CdsServices;
using BmesCds.Service.Health;
using BmesCds.Service.Http;
using BmesCds.Service.PatientData;
using BmesCds.Service.Terminology;

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

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(ClinicalClock.From(configuration));
        services.AddSingleton(configuration.GetSection("Cards").Get<CardOptions>() ?? new CardOptions());
        services.AddSingleton(provider => new CardMapper(provider.GetRequiredService<CardOptions>()));
        services.AddSingleton(configuration.GetSection(ClinicalOptions.SectionName).Get<ClinicalOptions>() ?? new ClinicalOptions());
        services.AddSingleton<ICdsEngine, BmesEngine>();
        services.AddSingleton<PatientRecordReader>();
        services.AddSingleton<IPatientRecordAssembler, ClinicalRecordAssembler>();
        services.AddSingleton<IPatientRecordSource, PrefetchRecordSource>();
        services.AddSingleton<DiscoveryDocument>();
        services.AddSingleton<JsonBodyReader>();
        services.AddSingleton<HookInvocation>();
        services.AddSingleton<FeedbackReceiver>();
        return services;
    }

    /// <summary>Builds what start-up must prove before taking traffic; throws with a clear message otherwise.</summary>
    public static void LoadEagerly(IServiceProvider services)
    {
        _ = services.GetRequiredService<BmesTerminology>();
        _ = services.GetRequiredService<DiscoveryDocument>();
    }
}
