using BmesCds.Service.Health;
using BmesCds.Service.Hosting;
using BmesCds.Service.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using StackExchange.Redis;

namespace BmesCds.Service.Auth;

/// <summary>Names of the CDS Client authentication scheme.</summary>
internal static class CdsClientAuthentication
{
    /// <summary>The ASP.NET Core authentication scheme of CDS Clients' JWTs.</summary>
    public const string Scheme = "cds-client";

    /// <summary>The authentication type of the identity an accepted call carries in <c>HttpContext.User</c>.</summary>
    public const string AuthenticationType = "CdsHooksJwt";

    /// <summary>Category of the refusal log lines (the handler's own category is kept at Warning: see below).</summary>
    public const string LogCategory = "BmesCds.Service.Auth.ClientAuthentication";

    /// <summary>Every path under it needs a trusted CDS Client's token: discovery, services, feedback.</summary>
    public static readonly PathString ProtectedPath = new("/cds-services");
}

/// <summary>Wires CDS Client authentication: <c>builder.Services.AddCdsClientAuthentication(builder.Configuration,
/// builder.Environment)</c>, then <c>app.UseCdsClientAuthentication()</c> after UseCors and before the endpoints.</summary>
internal static class CdsClientAuthenticationExtensions
{
    public static IServiceCollection AddCdsClientAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = new CdsClientAuthOptions();
        configuration.GetSection(CdsClientAuthOptions.SectionName).Bind(options);
        options.Mode ??= environment.IsDevelopment() ? CdsClientAuthMode.Disabled : CdsClientAuthMode.Required;
        services.AddSingleton(Options.Create(options));
        services.AddBmesMetrics();
        var authentication = services.AddAuthentication();
        services.AddAuthorization();
        if (options.Mode == CdsClientAuthMode.Disabled)
        {
            return services;
        }

        Validate(options);
        authentication.AddScheme<AuthenticationSchemeOptions, CdsClientAuthenticationHandler>(CdsClientAuthentication.Scheme, null);

        // AuthenticationHandler logs "not authenticated" and "challenged" at Information for every refusal; the handler
        // logs the reason itself (one line per refusal, category LogCategory), so the base lines are kept to warnings.
        services.AddLogging(logging => logging.AddFilter(typeof(CdsClientAuthenticationHandler).FullName, LogLevel.Warning));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(TrustedClientRegistry.Build(options, environment.ContentRootPath, environment.IsDevelopment()));
        services.AddSingleton<JwksKeyResolver>();
        services.AddSingleton<CdsClientTokenValidator>();
        services.AddHttpClient(JwksKeyResolver.HttpClientName, client =>
            {
                client.Timeout = TimeSpan.FromSeconds(options.JwksTimeoutSeconds);
                client.MaxResponseContentBufferSize = JwksKeyResolver.MaxJwksBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });

        if (string.IsNullOrWhiteSpace(options.ReplayCache.Redis))
        {
            services.AddSingleton<IReplayCache, InMemoryReplayCache>();
        }
        else
        {
            var connection = options.ReplayCache.Redis;
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(connection));
            services.AddSingleton<IReplayCache, RedisReplayCache>();
            services.AddHealthChecks().AddCheck<RedisReplayCacheHealthCheck>(
                "redis-replay-cache", tags: [HealthEndpoints.ReadyTag], timeout: TimeSpan.FromSeconds(3));
        }

        return services;
    }

    public static IApplicationBuilder UseCdsClientAuthentication(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<CdsClientAuthOptions>>().Value;
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CdsClientAuthenticationExtensions).FullName!);
        if (options.Mode == CdsClientAuthMode.Disabled)
        {
            logger.LogWarning("Auth:Mode is Disabled: /cds-services answers any caller without authentication. Never run a shared or production instance like this.");
            return app;
        }

        var registry = app.ApplicationServices.GetRequiredService<TrustedClientRegistry>();

        // Connects to Redis now, when configured: an unreachable shared replay cache stops the start, not the first call.
        _ = app.ApplicationServices.GetRequiredService<IReplayCache>();
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation(
                "CDS client authentication required for {Base}/cds-services; trusted issuers: {Issuers}; replay cache: {ReplayCache}",
                options.PublicBaseUrl!.TrimEnd('/'),
                string.Join(", ", registry.Clients.Select(c => c.Issuer)),
                string.IsNullOrWhiteSpace(options.ReplayCache.Redis) ? "in memory" : "Redis");
        }

        return app.Use(RequireCdsClientAsync);
    }

    /// <summary>
    /// Every call under /cds-services, whatever endpoint serves it, is authenticated with the CDS Client scheme and
    /// challenged (401, or 503) when refused; CORS preflights and other paths are not looked at. A path guard rather
    /// than endpoint metadata so that an endpoint added under /cds-services cannot be left open by mistake.
    /// </summary>
    private static async Task RequireCdsClientAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(CdsClientAuthentication.ProtectedPath, StringComparison.OrdinalIgnoreCase) || IsCorsPreflight(request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var result = await context.AuthenticateAsync(CdsClientAuthentication.Scheme).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await context.ChallengeAsync(CdsClientAuthentication.Scheme).ConfigureAwait(false);
            return;
        }

        context.User = result.Principal;
        await next(context).ConfigureAwait(false);
    }

    private static bool IsCorsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod);

    private static void Validate(CdsClientAuthOptions options)
    {
        if (CdsClientTokenValidator.CanonicalAudience(options.PublicBaseUrl ?? "") is null)
        {
            throw new StartupConfigurationException(
                "Auth:PublicBaseUrl must be the absolute http(s) URL clients call (for example https://cds.example.org) when Auth:Mode is Required.");
        }

        if (options.ClockSkewSeconds is < 0 or > 300)
        {
            throw new StartupConfigurationException("Auth:ClockSkewSeconds must be between 0 and 300.");
        }

        if (options.MaxTokenLifetimeSeconds is < 1 or > 86400)
        {
            throw new StartupConfigurationException("Auth:MaxTokenLifetimeSeconds must be between 1 and 86400.");
        }

        if (options.JwksCacheSeconds < 0 || options.JwksRefreshMinIntervalSeconds < 0)
        {
            throw new StartupConfigurationException("Auth:JwksCacheSeconds and Auth:JwksRefreshMinIntervalSeconds must not be negative.");
        }

        if (options.JwksTimeoutSeconds is <= 0 or > 30)
        {
            throw new StartupConfigurationException("Auth:JwksTimeoutSeconds must be more than 0 and at most 30.");
        }

        if (options.TrustedClients.Count == 0 && !options.TrustCdsHooksSandbox)
        {
            throw new StartupConfigurationException(
                "Auth:Mode is Required but no client is trusted: add Auth:TrustedClients or set Auth:TrustCdsHooksSandbox, or set Auth:Mode to Disabled.");
        }
    }
}
