using BmesCds.Service.Hosting;
using BmesCds.Service.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Management;

/// <summary>
/// The management side of the service: /metrics (Prometheus) and every /admin endpoint, behind the authentication
/// scheme and authorization policy <see cref="PolicyName"/> (keys from <c>Management:ApiKeys</c>), optionally on their
/// own addresses (<c>Management:Urls</c>). An /admin endpoint declares <c>.RequireAuthorization(ManagementAuthentication.PolicyName)</c>;
/// the guard in <see cref="UseManagement"/> also refuses any /admin or /metrics call without a key, so an endpoint
/// that forgets to declare it is still closed.
/// </summary>
public static class ManagementAuthentication
{
    /// <summary>The authentication scheme and the authorization policy of management endpoints.</summary>
    public const string Scheme = "management";

    /// <summary>Same name as the scheme: the policy requires a caller authenticated by that scheme.</summary>
    public const string PolicyName = Scheme;

    public const string AuthenticationType = "ManagementKey";

    internal const string LogCategory = "BmesCds.Service.Management.ManagementAuthentication";

    internal static readonly PathString MetricsPath = new("/metrics");
    internal static readonly PathString AdminPath = new("/admin");

    // The integration console answers where the management endpoints do; it checks keys per endpoint (its page needs none).
    internal static readonly PathString ConsolePath = new("/console");
    private static readonly PathString HealthPath = new("/health");

    /// <summary>Registers the scheme, the policy and, when Management:Urls is set, the management addresses.</summary>
    public static WebApplicationBuilder AddManagement(this WebApplicationBuilder builder)
    {
        var options = new ManagementOptions();
        builder.Configuration.GetSection(ManagementOptions.SectionName).Bind(options);
        // One environment variable may carry several keys (Management__ApiKeys="k1,k2"): a rotation without renumbering.
        foreach (var key in (builder.Configuration[$"{ManagementOptions.SectionName}:ApiKeys"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options.ApiKeys.Add(key);
        }
        if (options.Problem() is { } problem)
        {
            throw new StartupConfigurationException(problem);
        }

        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(new ManagementKeys(options.Keys));
        services.AddBmesMetrics();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ManagementKeyAuthenticationHandler>(Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        // The handler logs each refusal's reason itself; AuthenticationHandler's own Information lines are noise here.
        services.AddLogging(logging => logging.AddFilter(typeof(ManagementKeyAuthenticationHandler).FullName, LogLevel.Warning));

        if (options.HasSeparatePort)
        {
            services.AddSingleton(ManagementPort.Bind(builder, options.Urls!));
        }

        return builder;
    }

    /// <summary>
    /// The management guard, after UseErrorAnswers and before CORS and authentication: with Management:Urls set, a
    /// management path on a CDS address (or a CDS path on a management address) is 404, as if it did not exist there;
    /// health answers on both. Then every /admin and /metrics call needs a management key (unless MetricsWithoutKey).
    /// </summary>
    public static IApplicationBuilder UseManagement(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<ManagementOptions>>().Value;
        var services = app.ApplicationServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        if (services.GetRequiredService<ManagementKeys>().IsEmpty && logger.IsEnabled(LogLevel.Information))
        {
            if (options.MetricsWithoutKey)
            {
                logger.LogInformation("Management:ApiKeys is empty: /admin refuses every call (/metrics answers without a key on Management:Urls)");
            }
            else
            {
                logger.LogInformation("Management:ApiKeys is empty: /metrics and /admin refuse every call");
            }
        }

        var port = services.GetService<ManagementPort>();
        if (port is not null && logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Management endpoints (/metrics, /admin, /console) answer only on {ManagementUrls}; /health answers everywhere", port.Urls);
        }

        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var isManagement = IsManagementPath(path);
            if (port is not null)
            {
                var onManagementAddress = port.Received(context);
                var answersHere = isManagement || path.StartsWithSegments(ConsolePath, StringComparison.OrdinalIgnoreCase)
                    ? onManagementAddress
                    : !onManagementAddress || path.StartsWithSegments(HealthPath, StringComparison.OrdinalIgnoreCase);
                if (!answersHere)
                {
                    // ErrorAnswers turns the bodiless 404 into an OperationOutcome, as for any unknown path.
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
            }

            if (isManagement && !(options.MetricsWithoutKey && path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase)))
            {
                var result = await context.AuthenticateAsync(Scheme);
                if (!result.Succeeded)
                {
                    await context.ChallengeAsync(Scheme);
                    return;
                }

                context.User = result.Principal;
            }

            await next(context);
        });
    }

    /// <summary>/metrics and /admin/...: the paths the management guard holds to a key, whether or not an endpoint is there.</summary>
    internal static bool IsManagementPath(PathString path) =>
        path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(AdminPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>Maps /metrics (the Prometheus exposition of every meter the service exports).</summary>
    public static IEndpointRouteBuilder MapManagementEndpoints(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<ManagementOptions>>().Value;
        var metrics = app.MapPrometheusScrapingEndpoint(MetricsPath.Value!).DisableHttpMetrics();
        if (!options.MetricsWithoutKey)
        {
            metrics.RequireAuthorization(PolicyName);
        }

        return app;
    }
}

/// <summary>
/// With Management:Urls, Kestrel listens on the CDS addresses (<c>Urls</c>) and the management ones together, and a
/// request is a management request when it arrived on a management port. The ports must be explicit (not 0) and
/// apart from the CDS ports, so that the local port alone tells the two apart.
/// </summary>
internal sealed class ManagementPort
{
    private readonly HashSet<int> _ports;

    private ManagementPort(HashSet<int> ports, string urls)
    {
        _ports = ports;
        Urls = urls;
    }

    public string Urls { get; }

    public bool Received(HttpContext context) => _ports.Contains(context.Connection.LocalPort);

    public static ManagementPort Bind(WebApplicationBuilder builder, string managementUrls)
    {
        var configuration = builder.Configuration;
        var cds = Split(configuration[WebHostDefaults.ServerUrlsKey]);
        if (cds.Count == 0)
        {
            cds = Split(configuration["http_ports"]).Select(port => $"http://*:{port}").ToList();
        }

        if (cds.Count == 0)
        {
            cds = ["http://localhost:5000"];
        }

        var management = Split(managementUrls);
        var ports = new HashSet<int>();
        foreach (var url in management)
        {
            var address = BindingAddress.Parse(url);
            if (address.Port <= 0)
            {
                throw new StartupConfigurationException($"Management:Urls '{url}' needs an explicit port (not 0): requests are told apart by the port they arrive on.");
            }

            ports.Add(address.Port);
        }

        var clash = cds.Select(BindingAddress.Parse).FirstOrDefault(address => ports.Contains(address.Port));
        if (clash is not null)
        {
            throw new StartupConfigurationException($"Management:Urls and Urls share port {clash.Port}: the management endpoints need a port of their own.");
        }

        // Kestrel binds both sets, from the same setting it always reads (this source, added last, wins).
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [WebHostDefaults.ServerUrlsKey] = string.Join(';', cds.Concat(management)),
        });
        return new ManagementPort(ports, string.Join(';', management));
    }

    private static List<string> Split(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
