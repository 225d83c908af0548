using System.Text.Json;
using BmesCds.Ledger.Reports;
using BmesCds.Service.Http;
using BmesCds.Service.Management;
using Hl7.Fhir.Model;

namespace BmesCds.Service.Ledger;

/// <summary>
/// The management endpoints of the card ledger, under /admin: management keys only (policy "management"), never a CDS
/// client token.
/// </summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin").WithTags("Administration").RequireAuthorization(ManagementAuthentication.PolicyName);
        group.MapGet("/report", ReportAsync)
            .WithName("LedgerReport")
            .WithSummary("Card ledger analytics: per rule and per service, cards issued (live and shadow), accepted, overridden by reason, "
                + "without feedback, acceptance rate and median time to feedback. Query from and to: a date (UTC) or ISO 8601 date-time; "
                + "cards issued from 'from' (inclusive) to 'to' (exclusive). Needs Authorization: Bearer <management key>.")
            .Produces<LedgerReport>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status401Unauthorized)
            // Errors are FHIR OperationOutcomes, described as JSON as for the CDS Hooks endpoints.
            .Produces<JsonElement>(StatusCodes.Status400BadRequest, "application/fhir+json")
            .Produces<JsonElement>(StatusCodes.Status404NotFound, "application/fhir+json");
        return app;
    }

    private static async Task<IResult> ReportAsync(string? from, string? to, LedgerReports reports, CancellationToken cancel)
    {
        if (!ReportInstant.TryParse(from, out var start))
        {
            return Invalid("from");
        }

        if (!ReportInstant.TryParse(to, out var end))
        {
            return Invalid("to");
        }

        if (start is not null && end is not null && end <= start)
        {
            return FhirOutcome.Create(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, "to: must be after from", "to");
        }

        return await reports.BuildAsync(start, end, cancel) is { } report
            ? TypedResults.Ok(report)
            : FhirOutcome.NotFound("No card ledger: Ledger:Store is None, so nothing is recorded.");
    }

    private static FhirOutcome Invalid(string field) =>
        FhirOutcome.Create(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, $"{field}: must be {ReportInstant.Expected}", field);
}

/// <summary>Builds the report from the service's ledger store; null when there is none (Ledger:Store None).</summary>
public sealed class LedgerReports(LedgerReporter? reporter, LedgerClock clock)
{
    public async Task<LedgerReport?> BuildAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancel) =>
        reporter is null ? null : await reporter.BuildAsync(from, to, clock.UtcNow, cancel).ConfigureAwait(false);
}
