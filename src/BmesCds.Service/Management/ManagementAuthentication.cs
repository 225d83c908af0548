using BmesCds.Service.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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
    private static readonly PathString HealthPath = new("/health");

    /// <summary>Registers the scheme, the policy and the management addresses (Kestrel endpoints, when Management:Urls is set).</summary>
    public static WebApplicationBuilder AddManagement(this WebApplicationBuilder builder)
    {
        var options = new ManagementOptions();
        builder.Configuration.GetSection(ManagementOptions.SectionName).Bind(options);
        if (options.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
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

        var listeners = new ManagementListeners();
        services.AddSingleton(listeners);
        if (options.HasSeparatePort)
        {
            ManagementPort.Bind(builder, options.Urls!, listeners);
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
            logger.LogInformation("Management:ApiKeys is empty: /metrics{Exception} and /admin refuse every call", options.MetricsWithoutKey ? " (but for scrapers on Management:Urls)" : "");
        }

        if (options.HasSeparatePort)
        {
            var listeners = services.GetRequiredService<ManagementListeners>();
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Management endpoints (/metrics, /admin, /health) listen on {ManagementAddresses}", string.Join(", ", listeners.Addresses));
                }
            });
        }

        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var isManagement = path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase)
                || path.StartsWithSegments(AdminPath, StringComparison.OrdinalIgnoreCase);
            if (options.HasSeparatePort)
            {
                var onManagementAddress = context.Features.Get<ManagementConnection>() is not null;
                var answersHere = isManagement
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

/// <summary>Marks a connection accepted on a management address (Kestrel connection feature, seen by every request on it).</summary>
internal sealed class ManagementConnection
{
    public static readonly ManagementConnection Instance = new();
}

/// <summary>The Kestrel listen options of the management addresses, to log where they ended up (port 0 becomes a real port).</summary>
internal sealed class ManagementListeners
{
    private readonly List<ListenOptions> _listeners = [];

    public IEnumerable<string> Addresses
    {
        get
        {
            lock (_listeners)
            {
                return _listeners.Select(listener => listener.ToString() ?? "").ToList();
            }
        }
    }

    public void Add(ListenOptions listener)
    {
        lock (_listeners)
        {
            _listeners.Add(listener);
        }

        listener.Use(next => connection =>
        {
            connection.Features.Set(ManagementConnection.Instance);
            return next(connection);
        });
    }
}

/// <summary>
/// With Management:Urls, Kestrel listens on two sets of addresses, named in configuration so that Kestrel's own binder
/// parses them (http/https, hosts, certificates): <c>Urls</c> as Kestrel:Endpoints:CdsN and <c>Management:Urls</c> as
/// Kestrel:Endpoints:ManagementN, whose connections are marked.
/// </summary>
internal static class ManagementPort
{
    public static void Bind(WebApplicationBuilder builder, string managementUrls, ManagementListeners listeners)
    {
        var configuration = builder.Configuration;
        if (configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            throw new InvalidOperationException(
                "Management:Urls cannot be combined with Kestrel:Endpoints: list the CDS addresses in Urls and the management ones in Management:Urls.");
        }

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
        var endpoints = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < cds.Count; i++)
        {
            endpoints[$"Kestrel:Endpoints:Cds{i}:Url"] = cds[i];
        }

        for (var i = 0; i < management.Count; i++)
        {
            endpoints[$"Kestrel:Endpoints:Management{i}:Url"] = management[i];
        }

        configuration.AddInMemoryCollection(endpoints);

        // Kestrel would otherwise warn at every start that the endpoints override Urls: they now include them.
        configuration[WebHostDefaults.ServerUrlsKey] = "";
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var loader = kestrel.Configure(context.Configuration.GetSection("Kestrel"), reloadOnChange: false);
            for (var i = 0; i < management.Count; i++)
            {
                loader.Endpoint($"Management{i}", endpoint => listeners.Add(endpoint.ListenOptions));
            }
        });
    }

    private static List<string> Split(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
