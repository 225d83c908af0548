using BmesCds.Service.Http;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Diagnostics;

namespace BmesCds.Service.Hosting;

/// <summary>
/// Errors are answers: bodiless 404/405 from routing get an OperationOutcome, a request Kestrel refuses (too slow,
/// malformed) its 4xx with an OperationOutcome, and an unexpected exception a 500 OperationOutcome without a stack
/// trace (the exception goes to the log).
/// </summary>
public static class ErrorAnswers
{
    public static WebApplication UseErrorAnswers(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(async context =>
        {
            var failure = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            context.RequestServices.GetRequiredService<ILoggerFactory>()
                .CreateLogger("BmesCds.Errors")
                .LogError(failure, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            await FhirOutcome.Create(
                StatusCodes.Status500InternalServerError,
                OperationOutcome.IssueType.Exception,
                "The service failed to process the request; the error is logged.").ExecuteAsync(context);
        }));

        // Kestrel refusing the request itself (e.g. a body arriving slower than MinRequestBodyDataRate) is the
        // client's doing: its 4xx with an OperationOutcome, logged as information, not an unhandled error.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException refused) when (!context.Response.HasStarted)
            {
                await RefusedByServer(context, refused);
            }
        });

        app.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            var answer = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => FhirOutcome.NotFound(
                    $"Nothing is served at {context.Request.Path}. CDS Hooks discovery is GET /cds-services."),
                StatusCodes.Status405MethodNotAllowed => FhirOutcome.Create(
                    StatusCodes.Status405MethodNotAllowed,
                    OperationOutcome.IssueType.NotSupported,
                    $"{context.Request.Method} is not allowed on {context.Request.Path}: discovery is GET, service calls and feedback are POST."),
                // Routing refuses other media types itself (the endpoints declare Accepts application/json), bodiless.
                StatusCodes.Status415UnsupportedMediaType => FhirOutcome.Create(
                    StatusCodes.Status415UnsupportedMediaType,
                    OperationOutcome.IssueType.NotSupported,
                    $"Content-Type must be application/json (got '{Printable(context.Request.ContentType)}')"),
                _ => null,
            };
            if (answer is not null)
            {
                await answer.ExecuteAsync(context);
            }
        });
        return app;
    }

    /// <summary>Kestrel refused the request itself: its 4xx with an OperationOutcome, logged as information.</summary>
    public static async System.Threading.Tasks.Task RefusedByServer(HttpContext context, BadHttpRequestException refused)
    {
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("BmesCds.Errors").LogInformation(
            "{Method} {Path} refused by the server with {Status}: {Reason}", context.Request.Method, context.Request.Path, refused.StatusCode, refused.Message);
        var slow = refused.StatusCode == StatusCodes.Status408RequestTimeout;
        context.Response.Clear();
        context.Response.StatusCode = refused.StatusCode;
        context.Response.ContentType = "application/fhir+json";
        var outcome = FhirOutcome.Create(
            refused.StatusCode,
            slow ? OperationOutcome.IssueType.Timeout : OperationOutcome.IssueType.Invalid,
            slow ? "The request body arrived too slowly and was abandoned." : $"The request could not be read ({refused.StatusCode}).");

        // Not RequestAborted: it may be the token that fired.
        await context.Response.Body.WriteAsync(CdsHooks.Fhir.FhirJson.ToUtf8(outcome.Outcome), CancellationToken.None);
    }

    // The header is the caller's: echo a short, printable form of it.
    private static string Printable(string? contentType) =>
        contentType is null ? "none" : new string(contentType.Take(100).Where(c => !char.IsControl(c)).ToArray());
}
