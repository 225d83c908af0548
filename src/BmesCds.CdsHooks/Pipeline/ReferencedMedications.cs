using System.Diagnostics;
using System.Text.Json;
using BmesCds.CdsHooks.Requests;

namespace BmesCds.CdsHooks.Pipeline;

/// <summary>
/// Reads from fhirServer each Medication that a MedicationRequest, MedicationStatement or MedicationAdministration
/// names by `medicationReference` and that no key delivered: an EHR or FHIR server that does not execute the templates'
/// `_include` (BMES-RULES.md 7a, C6). A contained Medication ("#id") needs no read; a reference outside fhirServer is
/// never followed (the token stays with its server). The reads go through the host's <see cref="IFhirFetcher"/> as
/// `Medication/{id}`, in parallel, within the call's time budget, at most <see cref="PrefetchOptions.MaxMedicationReads"/>.
/// Each key whose resources named a missing Medication gets one report, "{key}:medication": a 404 is no data (the
/// engine then says on the card that the drug could not be identified, C7); any other failure is a failure named
/// after the key, under the same policy as the key itself.
/// </summary>
public static class ReferencedMedications
{
    /// <summary>What messages show instead of the URL.</summary>
    public const string Template = "Medication/{{medicationReference}}";

    /// <summary>The report name of the Medication reads for a key, e.g. "medicationRequests:medication".</summary>
    public static string ReportKey(string key) => $"{key}:medication";

    /// <summary>
    /// Medication ids referenced on fhirServer and not delivered, each with the first key that referenced it; none
    /// without a fhirServer (nothing can be read: the engine names the unidentified drug instead).
    /// </summary>
    public static Dictionary<string, string> Missing(IEnumerable<(string Key, IReadOnlyList<SourcedResources> Sources)> keys, HookRequest request)
    {
        var missing = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.FhirServer is not { } baseUrl)
        {
            return missing;
        }

        var server = new FhirServerEndpoint(baseUrl, request.FhirAuthorization);
        var delivered = new HashSet<string>(StringComparer.Ordinal);
        var referenced = new List<(string Id, string Key)>();
        foreach (var (key, sources) in keys)
        {
            foreach (var (buffer, found, _) in sources)
            {
                var json = buffer.Span;
                foreach (var resource in found)
                {
                    if (resource.Type == "Medication" && resource.Id(json) is { } id)
                    {
                        delivered.Add(id);
                    }
                    else if (resource.Relevant && resource.Type is "MedicationRequest" or "MedicationStatement" or "MedicationAdministration"
                        && MedicationId(resource.Json(json), server) is { } wanted)
                    {
                        referenced.Add((wanted, key));
                    }
                }
            }
        }

        foreach (var (id, key) in referenced.Where(reference => !delivered.Contains(reference.Id)))
        {
            missing.TryAdd(id, key);
        }

        return missing;
    }

    /// <summary>Reads the missing Medications; one report (with its resources) per key that referenced them.</summary>
    public static async Task<IReadOnlyList<(KeyReport Report, IReadOnlyList<SourcedResources> Resources)>> ReadAsync(
        Dictionary<string, string> missing, HookRequest request, IFhirFetcher fetcher, PrefetchOptions options, CancellationToken budget, CancellationToken aborted)
    {
        var reads = missing.Take(options.MaxMedicationReads).Select(pair => ReadOneAsync(pair.Key, pair.Value, request, fetcher, options, budget, aborted)).ToList();
        var results = await Task.WhenAll(reads).ConfigureAwait(false);
        return [.. results.GroupBy(result => result.Key, StringComparer.Ordinal).Select(Report)];
    }

    private sealed record Read(string Key, FetchOutcome? Outcome, string? Failure, TimeSpan Duration);

    private static async Task<Read> ReadOneAsync(
        string id, string key, HookRequest request, IFhirFetcher fetcher, PrefetchOptions options, CancellationToken budget, CancellationToken aborted)
    {
        var why = $"a resource of '{key}' references a Medication that no key delivered";
        var started = Stopwatch.GetTimestamp();
        try
        {
            var outcome = await fetcher.FetchAsync(new FhirFetch(request, key, Template, $"Medication/{Uri.EscapeDataString(id)}", "Medication", why), budget).ConfigureAwait(false);
            return new Read(key, outcome, outcome.Failure, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            return new Read(key, null, $"still pending when the {options.TimeBudgetSeconds:0.###} s time budget for the FHIR server ran out ({Template})", Stopwatch.GetElapsedTime(started));
        }
    }

    private static (KeyReport Report, IReadOnlyList<SourcedResources> Resources) Report(IGrouping<string, Read> reads)
    {
        var pages = reads.SelectMany(read => read.Outcome?.Pages ?? []).ToList();
        var failed = reads.FirstOrDefault(read => read.Failure is not null);
        var fetch = new FetchReport(
            failed is not null ? "failed" : pages.Count == 0 ? "not-found" : "ok",
            reads.Select(read => read.Outcome?.LastStatus).LastOrDefault(status => status is not null),
            reads.Count(),
            reads.Max(read => read.Duration));
        var resources = pages.Sum(page => page.Found.Resources.Count);
        var report = failed is not null
            ? new KeyReport(ReportKey(reads.Key), KeySource.Failed, 0, $"a Medication that one of its resources references could not be read: {failed.Failure}", fetch, $"prefetch.{reads.Key}")
            : new KeyReport(ReportKey(reads.Key), pages.Count == 0 ? KeySource.NoData : KeySource.Fetched, resources, null, fetch);
        return (report, failed is not null ? [] : [.. pages.Select(page => new SourcedResources(page.Json, page.Found.Resources, true))]);
    }

    /// <summary>The id of the Medication a resource references on fhirServer: "Medication/id", or an absolute URL under fhirServer.</summary>
    private static string? MedicationId(ReadOnlySpan<byte> resource, FhirServerEndpoint server)
    {
        if (ReferenceOf(resource) is not { Length: > 0 } value || value.StartsWith('#'))
        {
            return null;
        }

        var relative = value;
        if (Uri.TryCreate(value, UriKind.Absolute, out var absolute))
        {
            if (!server.Owns(absolute))
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

    /// <summary>`medicationReference.reference` of a resource's JSON, or null.</summary>
    private static string? ReferenceOf(ReadOnlySpan<byte> resource)
    {
        var reader = new Utf8JsonReader(resource);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isReference = reader.ValueTextEquals("medicationReference"u8);
            reader.Read();
            if (!isReference)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTarget = reader.ValueTextEquals("reference"u8);
                reader.Read();
                if (isTarget)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }

            return null;
        }

        return null;
    }
}
