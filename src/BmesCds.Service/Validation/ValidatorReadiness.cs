using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BmesCds.Service.Validation;

/// <summary>
/// Whether the FHIR validator has been built and warmed up, so that no request pays its seconds of first use.
/// Set once by <see cref="ValidatorWarmUp"/>; read by /health/ready and by <see cref="IncomingValidator"/>.
/// </summary>
public sealed class ValidatorReadiness
{
    private volatile bool _isReady;

    public bool IsReady => _isReady;

    /// <summary>How long building and warming the validator took (null until ready).</summary>
    public TimeSpan? WarmUpTime { get; private set; }

    internal void MarkReady(TimeSpan warmUpTime)
    {
        WarmUpTime = warmUpTime;
        _isReady = true;
    }
}

/// <summary>Readiness health check (tag <c>ready</c>): unhealthy until the validator is warm.</summary>
public sealed class ValidatorReadinessHealthCheck(ValidatorReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy($"FHIR validator warm ({readiness.WarmUpTime?.TotalMilliseconds:F0} ms)")
            : HealthCheckResult.Unhealthy("FHIR validator warming up"));
}
