using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Requests;
using BmesCds.Profiles;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Validation;

/// <summary>
/// Runtime validation of what an EHR sends (draftOrders, prefetch) against base R4, per <c>Validation:Incoming</c>:
/// Off returns null without looking; Warn logs each issue (where, never what) and returns null; Strict returns the
/// OperationOutcome of the errors, for a 400, or null when there are none.
/// </summary>
public sealed class IncomingValidator(
    ProfileValidator validator,
    ValidatorReadiness readiness,
    IOptionsMonitor<FhirValidationOptions> options,
    ILogger<IncomingValidator> logger)
{
    /// <summary>The pipeline's check of a parsed hook request: its draft orders and every prefetched resource.</summary>
    public OperationOutcome? Check(HookRequest request) =>
        options.CurrentValue.Incoming == IncomingValidationMode.Off ? null : Validate(request.DraftOrders, PrefetchResources(request));

    // Every prefetched resource, read or not by the rules; parsed only when validation is on.
    private static IEnumerable<KeyValuePair<string, Resource>> PrefetchResources(HookRequest request)
    {
        foreach (var (key, value) in request.Prefetch)
        {
            foreach (var found in value.Found?.Resources ?? [])
            {
                if (LenientFhirReader.Read(found.Json(request.Body.Span), found.Type).Resource is { } resource)
                {
                    yield return KeyValuePair.Create(found.Path.Entry < 0 ? $"prefetch.{key}" : $"prefetch.{key}.entry[{found.Path.Entry}]", resource);
                }
            }
        }
    }

    /// <param name="draftOrders">The resources of <c>context.draftOrders</c>: the Bundle, or its entries.</param>
    /// <param name="prefetch">The prefetched resources by prefetch key (a missing or null entry is not passed).
    /// A Bundle is validated entry by entry.</param>
    /// <returns>Null to go on; an OperationOutcome to answer 400 with (Strict mode only).</returns>
    public OperationOutcome? Validate(IEnumerable<Resource> draftOrders, IEnumerable<KeyValuePair<string, Resource>> prefetch)
    {
        var mode = options.CurrentValue.Incoming;
        if (mode == IncomingValidationMode.Off)
        {
            return null;
        }

        if (!readiness.IsReady)
        {
            // /health/ready keeps traffic away until warm; should a request come anyway, it must not pay the warm-up.
            logger.LogWarning("FHIR validator still warming up: incoming resources not validated");
            return null;
        }

        var sources = draftOrders.SelectMany((resource, i) => Unbundle(resource, resource is Bundle ? "draftOrders" : $"draftOrders[{i}]"))
            .Concat(prefetch.SelectMany(entry => Unbundle(entry.Value, $"prefetch.{entry.Key}")));
        var errors = new List<OperationOutcome.IssueComponent>();
        foreach (var (origin, resource) in sources)
        {
            foreach (var issue in validator.Validate(resource).Issue.Where(IsReportable))
            {
                if (mode == IncomingValidationMode.Warn && logger.IsEnabled(LogLevel.Warning))
                {
                    // Locations only: Firely's message text can quote the offending value (patient data).
                    logger.LogWarning("Incoming FHIR {Origin} ({ResourceType}): {Severity} {IssueCode} at {Location}",
                        origin, resource.TypeName, issue.Severity, issue.Code, string.Join(", ", issue.Expression));
                }
                else if (mode == IncomingValidationMode.Strict && IsError(issue))
                {
                    issue.Location = [origin];
                    errors.Add(issue);
                }
            }
        }

        return errors.Count == 0 ? null : new OperationOutcome { Issue = errors };
    }

    // The resources of a Bundle are validated one by one, not the Bundle: a CDS Hooks draftOrders or prefetch Bundle
    // as EHRs (and the CDS Hooks sandbox) send it often lacks entry.fullUrl (bdl-15), which says nothing about the orders.
    private static IEnumerable<(string Origin, Resource Resource)> Unbundle(Resource resource, string origin) => resource is Bundle bundle
        ? bundle.Entry.Select((entry, i) => (Origin: $"{origin}.entry[{i}]", entry.Resource))
            .Where(e => e.Resource is not null)
            .Select(e => (e.Origin, e.Resource!))
        : [(origin, resource)];

    private static bool IsReportable(OperationOutcome.IssueComponent issue) =>
        IsError(issue) || issue.Severity == OperationOutcome.IssueSeverity.Warning;

    private static bool IsError(OperationOutcome.IssueComponent issue) =>
        issue.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal;
}
