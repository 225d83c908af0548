using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace BmesCds.Service.Auth;

/// <summary>
/// Readiness of the shared replay cache (only registered when <c>Auth:ReplayCache:Redis</c> is set): while Redis cannot
/// be reached every authenticated call answers 503, so the instance should not take traffic.
/// </summary>
internal sealed class RedisReplayCacheHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Redis replay cache not connected");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Redis replay cache answers ({latency.TotalMilliseconds:F0} ms)");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The exception goes nowhere near the probe answer: its text can name hosts and ports.
            return HealthCheckResult.Unhealthy("Redis replay cache does not answer");
        }
    }
}
