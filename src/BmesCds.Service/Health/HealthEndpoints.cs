using System.Text.Json;
using BmesCds.Clinical.Terminology;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BmesCds.Service.Health;

/// <summary>
/// Liveness and readiness for load balancers and Kubernetes, as ASP.NET Core health checks. Live runs the checks
/// tagged <see cref="LiveTag"/> (none: liveness is the process answering). Ready runs every check tagged
/// <see cref="ReadyTag"/>: the terminology and the FHIR validator warm-up always, the Redis replay cache when one is
/// configured (Auth), and any check another feature (the card ledger's store) registers with that tag.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Tag of the checks /health/ready runs. A feature adds its own with <c>AddCheck(name, tags: [ReadyTag])</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Tag of the checks /health/live runs.</summary>
    public const string LiveTag = "live";

    public static IServiceCollection AddBmesHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<TerminologyHealthCheck>("terminology", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapBmesHealthChecks(this IEndpointRouteBuilder app)
    {
        // Probes are not traffic: kept out of the HTTP request metrics so that they do not flatter the latency figures.
        app.MapHealthChecks("/health/live", Options(LiveTag, "live")).DisableHttpMetrics();
        app.MapHealthChecks("/health/ready", Options(ReadyTag, "ready")).DisableHttpMetrics();
        return app;
    }

    private static HealthCheckOptions Options(string tag, string healthyWord) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = (context, report) => WriteAsync(context, report, healthyWord),
    };

    /// <summary>
    /// <c>{"status":"ready","checks":{"terminology":{"status":"Healthy","description":"..."}}}</c>, and "unavailable"
    /// with 503 when a check is unhealthy. Descriptions are the checks' own sentences, never exception text.
    /// </summary>
    private static async Task WriteAsync(HttpContext context, HealthReport report, string healthyWord)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status == HealthStatus.Unhealthy ? "unavailable" : healthyWord);
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            if (entry.Description is not null)
            {
                json.WriteString("description", entry.Description);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}

/// <summary>
/// The terminology is loaded before the host starts (a missing ValueSet stops the start), so this check cannot wait
/// for it: it says what was loaded, and makes a host without terminology fail when the probe resolves it.
/// </summary>
internal sealed class TerminologyHealthCheck(BmesTerminology terminology) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy($"{terminology.All.Count()} value sets and code systems loaded"));
}
