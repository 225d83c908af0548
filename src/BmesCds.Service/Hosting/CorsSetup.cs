using BmesCds.Service.Telemetry;

namespace BmesCds.Service.Hosting;

/// <summary>Which browser origins may call the service (config section "Cors").</summary>
public sealed class CorsOptions
{
    /// <summary>Allowed origins; "*" allows any. Empty outside Development means no cross-origin access.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public const string Section = "Cors";

    /// <summary>An origin is "*" or scheme://host[:port], nothing after it: a path or a slash would never match a browser's Origin.</summary>
    public string? Problem() =>
        AllowedOrigins.FirstOrDefault(origin => origin != "*" && !IsOrigin(origin)) is { } wrong
            ? $"Cors:AllowedOrigins: '{wrong}' is not an origin (\"*\" or scheme://host[:port], without a path or trailing slash)."
            : null;

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.AbsolutePath == "/" && !origin.EndsWith('/') && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;
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
        var origins = configuration.BindNow<CorsOptions>(CorsOptions.Section, options => options.Problem()).AllowedOrigins;
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
