using BmesCds.Service.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BmesCds.Service.Auth;

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
        if (options.Mode == CdsClientAuthMode.Disabled)
        {
            return services;
        }

        Validate(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(TrustedClientRegistry.Build(options, environment.ContentRootPath));
        services.AddSingleton<JwksKeyResolver>();
        services.AddSingleton<CdsClientTokenValidator>();
        services.AddHttpClient(JwksKeyResolver.HttpClientName, client =>
            {
                client.Timeout = TimeSpan.FromSeconds(5);
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

        return app.UseMiddleware<CdsClientAuthenticationMiddleware>();
    }

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

        if (options.TrustedClients.Count == 0 && !options.TrustCdsHooksSandbox)
        {
            throw new StartupConfigurationException(
                "Auth:Mode is Required but no client is trusted: add Auth:TrustedClients or set Auth:TrustCdsHooksSandbox, or set Auth:Mode to Disabled.");
        }
    }
}
