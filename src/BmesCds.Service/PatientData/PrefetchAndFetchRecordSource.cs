using BmesCds.CdsHooks.Requests;
using BmesCds.Service.Telemetry;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.PatientData;

/// <summary>
/// The patient's record for a hook call: what the client prefetched, completed from fhirServer in parallel within
/// one time budget, all handed to the same assembler. The patient is required; a failed other key is a 412 too,
/// unless Fhir:OptionalKeysOnFailure is Degrade. Failures name the key and the reason, never the token.
/// </summary>
public sealed class PrefetchAndFetchRecordSource(
    PrefetchPlanner planner,
    PrefetchKeyResolver keys,
    IPatientRecordAssembler assembler,
    IOptions<FhirFetchOptions> options,
    BmesMetrics metrics,
    ILogger<PrefetchAndFetchRecordSource> logger)
    : IPatientRecordSource
{
    public async Task<RecordResolution> ResolveAsync(HookRequest request, CancellationToken cancel)
    {
        var plans = planner.Plan(request);
        metrics.PrefetchPlanned(plans); // [telemetry] prefetch keys supplied vs fetched
        KeyOutcome[] outcomes;
        using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancel))
        {
            budget.CancelAfter(options.Value.TimeBudget);
            outcomes = await Task.WhenAll(plans.Select(plan => keys.ResolveAsync(plan, request, budget.Token, cancel)));
        }

        var failures = outcomes
            .Where(outcome => outcome.Failure is not null
                && (outcome.Key == PrefetchPlanner.RequiredKey || options.Value.OptionalKeysOnFailure == OptionalKeyFailurePolicy.Fail))
            .OrderBy(outcome => outcome.Key == PrefetchPlanner.RequiredKey ? 0 : 1)
            .ToList();
        if (failures.Count > 0)
        {
            return new RecordResolution(null, Unavailable(failures));
        }

        foreach (var degraded in outcomes.Where(outcome => outcome.Failure is not null))
        {
            logger.LogWarning(
                "Hook {HookInstance}: prefetch key {PrefetchKey} could not be had; going on without it (Fhir:OptionalKeysOnFailure = Degrade)",
                request.HookInstance,
                degraded.Key);
        }

        var assembly = assembler.Assemble(DistinctResources.Of(outcomes.SelectMany(outcome => outcome.Resources)));
        if (assembly.Record is null)
        {
            // Unreadable prefetch is the client's error (400); an unreadable answer of its FHIR server is a 412.
            var fetched = assembly.RefusedSource!.StartsWith("fhirServer.", StringComparison.Ordinal);
            return new RecordResolution(null, fetched
                ? new ProtocolError(assembly.RefusedSource, $"the FHIR server sent a resource that cannot be read: {assembly.Refusal}", ProtocolErrorKind.PreconditionFailed)
                : new ProtocolError(assembly.RefusedSource, assembly.Refusal!));
        }

        if (assembly.Record.Patient is null)
        {
            var patient = outcomes.First(outcome => outcome.Key == PrefetchPlanner.RequiredKey);
            return new RecordResolution(null, new ProtocolError(
                $"prefetch.{PrefetchPlanner.RequiredKey}",
                $"the patient is required and there is none: {patient.NoDataWhy ?? "neither the prefetch nor the FHIR server holds a Patient"}",
                ProtocolErrorKind.PreconditionFailed));
        }

        return new RecordResolution(assembly.Record, null);
    }

    private static ProtocolError Unavailable(List<KeyOutcome> failures) => failures.Count == 1
        ? new ProtocolError($"prefetch.{failures[0].Key}", failures[0].Failure!, ProtocolErrorKind.PreconditionFailed)
        : new ProtocolError(
            "prefetch",
            $"{failures.Count} prefetch keys could not be had: " + string.Join("; ", failures.Select(f => $"'{f.Key}': {f.Failure}")),
            ProtocolErrorKind.PreconditionFailed);
}
