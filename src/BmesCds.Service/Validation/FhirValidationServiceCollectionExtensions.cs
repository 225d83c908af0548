using BmesCds.Profiles;
using BmesCds.Service.Health;
using BmesCds.Service.Hosting;
using BmesCds.Service.Telemetry;
using BmesCds.Service.Terminology;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Validation;

public static class FhirValidationServiceCollectionExtensions
{
    /// <summary>
    /// The FHIR validator (one per process, built from fhir-profiles/ at start: a missing or broken artifact stops the
    /// host), its background warm-up, the readiness signal and health check (tag <c>ready</c>), and incoming validation.
    /// </summary>
    public static IServiceCollection AddFhirValidation(this IServiceCollection services, IConfiguration configuration)
    {
        services.BindChecked<FhirValidationOptions>(FhirValidationOptions.Section, _ => null);
        services.AddSingleton(sp => ProfileValidator.Create(sp.GetRequiredService<IOptions<TerminologyOptions>>().Value.ResolvedDirectory));
        services.AddSingleton<ValidatorReadiness>();
        services.AddBmesMetrics();
        services.AddSingleton<IncomingValidator>();
        services.AddHostedService<ValidatorWarmUp>();
        services.AddHealthChecks().AddCheck<ValidatorReadinessHealthCheck>("fhir-validator", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }
}
