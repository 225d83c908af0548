using BmesCds.Service.Telemetry;

namespace BmesCds.Service.Hosting;

/// <summary>Which browser origins may call the service (config section "Cors").</summary>
public sealed class CorsOptions
{
    /// <summary>Allowed origins; "*" allows any. Empty outside Development means no cross-origin access.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

/// <summary>
/// CORS for browser CDS clients such as the CDS Hooks sandbox: GET, POST and OPTIONS with the Authorization and
/// Content-Type headers. Preflights are answered by the CORS middleware before authentication runs.
/// </summary>
public static class CorsSetup
{
    public const string PolicyName = "cds-clients";

    public static IServiceCollection AddCdsCors(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var origins = configuration.GetSection("Cors").Get<CorsOptions>()?.AllowedOrigins ?? [];
        if (origins.Length == 0 && environment.IsDevelopment())
        {
            origins = ["*"];
        }

        services.AddCors(cors => cors.AddPolicy(PolicyName, policy =>
        {
            if (origins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins(origins);
            }

            policy.WithMethods("GET", "POST", "OPTIONS")
                .WithHeaders("Authorization", "Content-Type")
                .WithExposedHeaders(TelemetrySetup.TraceResponseHeader, TelemetrySetup.TraceParentHeader, "Retry-After")
                .SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
        return services;
    }
}
