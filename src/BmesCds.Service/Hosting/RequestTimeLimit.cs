using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.Service.Http;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.Timeouts;

namespace BmesCds.Service.Hosting;

/// <summary>
/// One time limit for every request (Requests:TimeoutSeconds, ASP.NET Core's request timeouts middleware): when it
/// runs out, the request's cancellation token fires and whatever the call was waiting for (the request body, the
/// JWKS endpoint, the FHIR server) is abandoned. The answer is 408 with an OperationOutcome, never a 5xx. Fetching
/// has its own smaller budget (Fhir:TimeBudgetSeconds, answered 412), so in practice 408 means a request that arrived
/// too slowly.
/// </summary>
public static class RequestTimeLimit
{
    public static IServiceCollection AddRequestTimeLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var fetchBudget = configuration.BindNow<PrefetchOptions>(PrefetchOptions.Section, _ => null).TimeBudgetSeconds;
        var seconds = configuration.BindNow<RequestTimeOptions>(RequestTimeOptions.Section, options => options.Problem(fetchBudget)).TimeoutSeconds;

        var limit = TimeSpan.FromSeconds(seconds);
        services.AddRequestTimeouts(timeouts => timeouts.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = limit,
            TimeoutStatusCode = StatusCodes.Status408RequestTimeout,
            WriteTimeoutResponse = context => WriteAsync(context, seconds),
        });
        return services;
    }

    public static WebApplication UseRequestTimeLimit(this WebApplication app)
    {
        app.UseRequestTimeouts();
        app.Use(async (context, next) =>
        {
            // RequestAborted is now the time limit's token: body reads end cleanly when it fires.
            var body = new CancellableRequestBodyStream(context.Request.BodyReader, context.RequestAborted);
            context.Request.Body = body;
            await next(context);

            // A body reader may take a cancelled or refused body for a client that went away and answer nothing;
            // the client is still there, and gets its 408.
            if (context.Response.HasStarted)
            {
                return;
            }

            if (context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true)
            {
                context.Response.StatusCode = StatusCodes.Status408RequestTimeout;
                await WriteAsync(context, TimeLimitOf(context));
            }
            else if (body.Refused is { } refused)
            {
                await ErrorAnswers.RefusedByServer(context, refused);
            }
        });
        return app;
    }

    private static double TimeLimitOf(HttpContext context) =>
        context.RequestServices.GetRequiredService<IConfiguration>().GetValue("Requests:TimeoutSeconds", new RequestTimeOptions().TimeoutSeconds);

    private static async System.Threading.Tasks.Task WriteAsync(HttpContext context, double seconds)
    {
        // One line instead of the middleware's warning with a stack trace (silenced in appsettings.json).
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestTimeLimit).FullName!).LogWarning(
            "{Method} {Path} ran longer than {Seconds} s (Requests:TimeoutSeconds): answered 408",
            context.Request.Method,
            context.Request.Path.Value,
            seconds);
        var outcome = FhirOutcome.Create(
            StatusCodes.Status408RequestTimeout,
            OperationOutcome.IssueType.Timeout,
            $"The call took longer than {seconds:0.###} s (Requests:TimeoutSeconds) and was abandoned.");
        context.Response.ContentType = "application/fhir+json";

        // The request body may be half read: this connection is not used again.
        context.Response.Headers.Connection = "close";

        // Not RequestAborted: it is the token that just fired.
        await context.Response.Body.WriteAsync(FhirJson.ToUtf8(outcome.Outcome), CancellationToken.None);
    }
}
