namespace BmesCds.Service.Health;

/// <summary>Liveness and readiness probes for load balancers and Kubernetes.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new HealthStatus("live", null)));
        app.MapGet("/health/ready", Ready);
        return app;
    }

    private static IResult Ready(IEnumerable<IReadinessCheck> checks)
    {
        var waiting = checks.Where(check => !check.IsReady).Select(check => check.Name).ToList();
        return waiting.Count == 0
            ? TypedResults.Ok(new HealthStatus("ready", null))
            : TypedResults.Json(new HealthStatus("starting", waiting), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The probe answer: a status word and, while starting, what is still being prepared.</summary>
    public sealed record HealthStatus(string Status, IReadOnlyList<string>? Waiting);
}
