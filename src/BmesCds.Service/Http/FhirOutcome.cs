using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Requests;
using Hl7.Fhir.Model;

namespace BmesCds.Service.Http;

/// <summary>
/// An error answer: an OperationOutcome whose diagnostics say what is wrong and whose expression names the field.
/// Every 4xx of the service is one of these, so a client always gets a body it can show.
/// </summary>
public sealed class FhirOutcome(int statusCode, OperationOutcome outcome) : IResult, IStatusCodeHttpResult
{
    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public OperationOutcome Outcome { get; } = outcome;

    public static FhirOutcome From(ProtocolError error) => Create(
        error.HttpStatus,
        error.Kind switch
        {
            ProtocolErrorKind.PreconditionFailed => OperationOutcome.IssueType.NotFound,
            ProtocolErrorKind.Required => OperationOutcome.IssueType.Required,
            ProtocolErrorKind.TooLarge => OperationOutcome.IssueType.TooCostly,
            _ => OperationOutcome.IssueType.Invalid,
        },
        error.ToString(),
        error.Field);

    public static FhirOutcome Create(int status, OperationOutcome.IssueType type, string diagnostics, string? field = null)
    {
        var issue = new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = type,
            Diagnostics = diagnostics,
        };
        if (!string.IsNullOrEmpty(field))
        {
            issue.Expression = [field];
        }

        return new FhirOutcome(status, new OperationOutcome { Issue = [issue] });
    }

    public static FhirOutcome NotFound(string diagnostics) =>
        Create(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, diagnostics);

    public async System.Threading.Tasks.Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = "application/fhir+json";
        await httpContext.Response.Body.WriteAsync(FhirJson.ToUtf8(Outcome), httpContext.RequestAborted);
    }
}
