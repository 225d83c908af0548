using System.Globalization;
using System.Threading.RateLimiting;
using BmesCds.Service.Auth;
using BmesCds.Service.Hosting;
using BmesCds.Service.Http;
using BmesCds.Service.Telemetry;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Limits;

/// <summary>
/// Requests per second per CDS Client, with ASP.NET Core's rate limiter: one partition per authenticated issuer (all
/// callers share the partition "anonymous" when Auth:Mode is Disabled), limited by
/// <c>Auth:TrustedClients:N:RequestsPerSecond</c> (or <c>Auth:AnonymousRequestsPerSecond</c>); unset means no limit. A call
/// over the limit is answered 429 with <c>Retry-After</c> and an OperationOutcome. One noisy EHR cannot take every core.
/// </summary>
internal static class ClientRateLimiting
{
    public const string PolicyName = "cds-clients";

    public const string Anonymous = "anonymous";

    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton(provider => ClientRateLimits.From(provider.GetRequiredService<IOptions<CdsClientAuthOptions>>().Value));
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy<string, ClientRateLimitPolicy>(PolicyName);
        });
        return services;
    }

    /// <summary>Puts the CDS endpoints under the per-client policy, only when a limit is configured (otherwise no cost at all).</summary>
    public static TBuilder RequireClientRateLimits<TBuilder>(this TBuilder builder, IServiceProvider services)
        where TBuilder : IEndpointConventionBuilder =>
        services.GetService<ClientRateLimits>() is { Any: true } ? builder.RequireRateLimiting(PolicyName) : builder;
}

/// <summary>The configured limits: requests per second by issuer (or <see cref="ClientRateLimiting.Anonymous"/>).</summary>
internal sealed class ClientRateLimits(IReadOnlyDictionary<string, double> perSecond)
{
    public bool Any => perSecond.Count > 0;

    public double? For(string client) => perSecond.TryGetValue(client, out var limit) ? limit : null;

    public static ClientRateLimits From(CdsClientAuthOptions options)
    {
        var limits = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < options.TrustedClients.Count; i++)
        {
            if (options.TrustedClients[i] is { RequestsPerSecond: { } limit, Issuer: { } issuer })
            {
                limits[issuer] = Checked(limit, $"Auth:TrustedClients:{i}:RequestsPerSecond");
            }
        }

        if (options.AnonymousRequestsPerSecond is { } anonymous)
        {
            limits[ClientRateLimiting.Anonymous] = Checked(anonymous, "Auth:AnonymousRequestsPerSecond");
        }

        return new ClientRateLimits(limits);
    }

    private static double Checked(double limit, string key) => limit is > 0 and <= 1_000_000
        ? limit
        : throw new StartupConfigurationException($"{key} must be a number of requests per second above 0 (e.g. 50 or 0.5); leave it out for no limit.");
}

/// <summary>The partition of a call (its client) and the 429 answer.</summary>
internal sealed class ClientRateLimitPolicy(ClientRateLimits limits, TimeProvider time, BmesMetrics metrics, ILoggerFactory loggers)
    : IRateLimiterPolicy<string>
{
    private readonly ILogger _log = loggers.CreateLogger("BmesCds.Service.Limits.ClientRateLimiting");

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var client = ClientOf(httpContext);
        return limits.For(client) is { } perSecond
            ? RateLimitPartition.Get(client, _ => new ClientTokenBucket(perSecond, time))
            : RateLimitPartition.GetNoLimiter(client);
    }

    private async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var client = ClientOf(context);
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        metrics.RateLimited(client);
        _log.LogDebug("Call on {Path} from {Client} refused: over {RequestsPerSecond} requests per second", context.Request.Path.Value, client, limits.For(client));
        await FhirOutcome.Create(
            StatusCodes.Status429TooManyRequests,
            OperationOutcome.IssueType.Throttled,
            string.Create(CultureInfo.InvariantCulture,
                $"Too many requests: this client may send {limits.For(client)} requests per second; retry after {seconds} s (Retry-After)."))
            .ExecuteAsync(context);
    }

    // The issuer was verified by the CDS Client scheme; without authentication every caller is the same client.
    private static string ClientOf(HttpContext context) =>
        context.Features.Get<CdsClientIdentity>()?.Issuer ?? ClientRateLimiting.Anonymous;
}
