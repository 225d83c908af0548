using System.Diagnostics;
using System.Text.Json;
using BmesCds.CdsHooks.Requests;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.PatientData;

/// <summary>
/// Reads from fhirServer each Medication that a MedicationRequest, MedicationStatement or MedicationAdministration
/// names by `medicationReference` and that neither the prefetch nor the searches delivered: an EHR or FHIR server that
/// does not execute the templates' `_include` (BMES-RULES.md 7a, C6). A contained Medication ("#id") needs no read;
/// a reference outside fhirServer is never followed (the token stays with its server). Without a usable fhirServer
/// nothing is read and the engine says on the card that the drug could not be identified (C7). A read answered
/// 404/410 is no data; any other failure is a failure of the key the referencing resource came from, under the same
/// policy as the key itself (Fhir:OptionalKeysOnFailure). At most Fhir:MaxMedicationReads reads per call, in parallel.
/// </summary>
public sealed class ReferencedMedications(FhirSearchClient client, IOptions<FhirFetchOptions> options, ILogger<ReferencedMedications> logger)
{
    /// <summary>What error messages show instead of the URL.</summary>
    public const string Template = "Medication/{{medicationReference}}";

    private static readonly HashSet<string> MedicationUses = new(StringComparer.Ordinal)
    {
        "MedicationRequest", "MedicationStatement", "MedicationAdministration",
    };

    /// <summary>One outcome per key whose resources named a missing Medication: the Medications read, or why not.</summary>
    public async Task<IReadOnlyList<KeyOutcome>> ResolveAsync(IReadOnlyList<KeyOutcome> outcomes, HookRequest request, CancellationToken budget, CancellationToken aborted)
    {
        var server = request.FhirServer is { } baseUrl ? new FhirServerEndpoint(baseUrl, request.FhirAuthorization) : null;
        var missing = Missing(outcomes, server);
        if (missing.Count == 0)
        {
            return [];
        }

        if (server is null || (!server.IsHttps && !options.Value.AllowHttp))
        {
            logger.LogInformation(
                "Hook {HookInstance}: {Count} referenced Medication resources are not in the prefetch and there is no usable fhirServer to read them from",
                request.HookInstance,
                missing.Count);
            return [];
        }

        var started = Stopwatch.GetTimestamp();
        var reads = missing.Take(options.Value.MaxMedicationReads)
            .Select(pair => ReadAsync(server, pair.Key, pair.Value, budget, aborted))
            .ToList();
        var results = await Task.WhenAll(reads);
        logger.LogInformation(
            "Hook {HookInstance} read referenced Medication resources: {Found} found, {NotFound} not found, {Failed} failed, {Skipped} over Fhir:MaxMedicationReads, in {DurationMs:F1} ms",
            request.HookInstance,
            results.Count(result => result.Resources.Count > 0),
            results.Count(result => result.Resources.Count == 0 && result.Failure is null),
            results.Count(result => result.Failure is not null),
            Math.Max(0, missing.Count - options.Value.MaxMedicationReads),
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return [.. results.GroupBy(result => result.Key).Select(Merge)];
    }

    private static KeyOutcome Merge(IGrouping<string, KeyOutcome> results) =>
        results.FirstOrDefault(result => result.Failure is not null) is { } failed
            ? failed
            : new KeyOutcome(results.Key, [.. results.SelectMany(result => result.Resources)]);

    private async Task<KeyOutcome> ReadAsync(FhirServerEndpoint server, string id, string key, CancellationToken budget, CancellationToken aborted)
    {
        var read = new FetchRequest(key, Template, server.Resolve($"Medication/{Uri.EscapeDataString(id)}"), "Medication");
        try
        {
            var result = await client.FetchAsync(server, read, budget);
            return result.Failure is { } failure
                ? new KeyOutcome(key, [], $"a Medication that one of its resources references could not be read: {failure}")
                : new KeyOutcome(key, result.Resources);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            return new KeyOutcome(
                key, [], $"a Medication that one of its resources references ({Template}) was still pending when the {options.Value.TimeBudgetSeconds:0.###} s time budget for the FHIR server ran out");
        }
    }

    /// <summary>Medication ids referenced and not delivered, each with the first key that referenced it, in the order met.</summary>
    private static Dictionary<string, string> Missing(IReadOnlyList<KeyOutcome> outcomes, FhirServerEndpoint? server)
    {
        var delivered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in outcomes.SelectMany(outcome => outcome.Resources))
        {
            if (Text(resource.Json, "resourceType") == "Medication" && Text(resource.Json, "id") is { } id)
            {
                delivered.Add(id);
            }
        }

        var missing = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var outcome in outcomes)
        {
            foreach (var resource in outcome.Resources.Where(resource => MedicationUses.Contains(Text(resource.Json, "resourceType") ?? string.Empty)))
            {
                if (MedicationId(resource.Json, server) is { } id && !delivered.Contains(id))
                {
                    missing.TryAdd(id, outcome.Key);
                }
            }
        }

        return missing;
    }

    /// <summary>The id of the Medication a resource references on fhirServer: "Medication/id", or an absolute URL under fhirServer.</summary>
    private static string? MedicationId(JsonElement resource, FhirServerEndpoint? server)
    {
        if (!resource.TryGetProperty("medicationReference", out var reference) || reference.ValueKind != JsonValueKind.Object
            || Text(reference, "reference") is not { Length: > 0 } value || value.StartsWith('#'))
        {
            return null;
        }

        var relative = value;
        if (Uri.TryCreate(value, UriKind.Absolute, out var absolute))
        {
            if (server is null || !server.Owns(absolute))
            {
                return null;
            }

            relative = absolute.AbsolutePath;
        }

        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var history = Array.IndexOf(parts, "_history");
        parts = history > 0 ? parts[..history] : parts;
        return parts.Length >= 2 && parts[^2] == "Medication" && parts[^1].Length > 0 ? parts[^1] : null;
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
