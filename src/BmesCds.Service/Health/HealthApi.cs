namespace BmesCds.Service.Health;

/// <summary>Liveness and readiness probes for load balancers and Kubernetes.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health");
        group.MapGet("/live", () => TypedResults.Ok(new HealthStatus("live", null)))
            .WithName("Liveness").WithSummary("200 while the process answers.");
        group.MapGet("/ready", Ready)
            .WithName("Readiness").WithSummary("200 once terminology and the FHIR validator are loaded; 503 before.")
            .Produces<HealthStatus>(StatusCodes.Status200OK)
            .Produces<HealthStatus>(StatusCodes.Status503ServiceUnavailable);
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
