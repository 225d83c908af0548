using System.Text.Json;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Fhir;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Records;

/// <summary>
/// Something the reader skipped or worked around: which resource ("Condition/abc", or its position) and why.
/// Skipped is true when a resource the rules would use could not be read at all (not merely repaired).
/// </summary>
public sealed record RecordReadIssue(string Resource, string Description, bool Skipped = false);

/// <summary>The record built from raw FHIR JSON, with what was skipped or repaired on the way.</summary>
public sealed record PatientRecordReadResult(PatientRecord Record, IReadOnlyList<RecordReadIssue> Issues);

/// <summary>
/// Builds a <see cref="PatientRecord"/> from raw FHIR JSON (resources, or Bundles such as searchsets). A hook carries
/// hundreds of resources, most of them irrelevant: the JSON is walked first and only resources the rules can use
/// (by type and code) are parsed into Firely POCOs, which costs far more than the walk. Never throws.
/// </summary>
public sealed class PatientRecordReader
{
    private const int MaxBundleDepth = 4;

    private static readonly HashSet<string> ImagingReportCategories = new(StringComparer.OrdinalIgnoreCase)
    {
        "RAD", "RX", "CT", "NMR", "NMS", "RUS", "XRC", "CUS", "OUS", "VUS", "imaging", "LP29684-5",
    };

    private readonly ConceptSet[] _conditionSets;
    private readonly ConceptSet[] _observationSets;
    private readonly ConceptSet _imagingOrders;
    private readonly ConceptSet _mriCaution;
    private readonly GlucocorticoidMatcher _glucocorticoids;

    public PatientRecordReader(BmesTerminology terminology)
    {
        _conditionSets =
        [
            .. new[]
            {
                BmesCanonicals.JointPain, BmesCanonicals.Osteonecrosis, BmesCanonicals.OsteonecrosisRiskFactors,
                BmesCanonicals.Pregnancy, BmesCanonicals.InfectionRedFlags, BmesCanonicals.MriCaution,
                BmesCanonicals.JointReplacement, BmesCanonicals.BoneMalignancy,
            }.Select(url => terminology[url]),
        ];
        _observationSets =
        [
            .. new[]
            {
                BmesCanonicals.LabCodes, BmesCanonicals.XrayNormal, BmesCanonicals.XrayAbnormal,
                BmesCanonicals.ImagingFindingCodeSystem, BmesCanonicals.ImagingOrders,
            }.Select(url => terminology[url]),
        ];
        _imagingOrders = terminology[BmesCanonicals.ImagingOrders];
        _mriCaution = terminology[BmesCanonicals.MriCaution];
        _glucocorticoids = new GlucocorticoidMatcher(terminology);
    }

    public PatientRecordReadResult Read(params JsonElement[] elements) => Read((IEnumerable<JsonElement>)elements);

    /// <summary>Reads prefetch values or fetched Bundles; null or empty values are simply absent data.</summary>
    public PatientRecordReadResult Read(IEnumerable<JsonElement> elements)
    {
        var state = new ReadState();
        var position = 0;
        foreach (var element in elements)
        {
            Walk(element, $"#{position++}", 0, state);
        }

        return new PatientRecordReadResult(new PatientRecord(state.Patient, state.Resources), state.Issues);
    }

    private void Walk(JsonElement element, string where, int depth, ReadState state)
    {
        if (element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return;
        }

        if (element.ValueKind != JsonValueKind.Object || ResourceType(element) is not { } type)
        {
            state.Issues.Add(new RecordReadIssue(where, "not a FHIR resource (no resourceType); skipped", Skipped: true));
            return;
        }

        if (type == "Bundle")
        {
            WalkBundle(element, where, depth, state);
            return;
        }

        if (!IsRelevant(type, element))
        {
            return;
        }

        var name = element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? $"{type}/{id.GetString()}" : where;
        if (!state.Seen.Add(name))
        {
            return;
        }

        var result = ReadSafely(element);
        if (result.Resource is not { } resource)
        {
            state.Issues.Add(new RecordReadIssue(name, result.Refusal ?? "could not be read; skipped", Skipped: true));
            return;
        }

        state.Issues.AddRange(result.Issues.Select(issue => new RecordReadIssue(name, $"{issue.Code} at {issue.Location}: tolerated")));
        if (resource is Patient patient)
        {
            state.Patient ??= patient;
        }
        else
        {
            state.Resources.Add(resource);
        }
    }

    // The lenient reader refuses what it cannot read; anything else it throws costs this resource, never the request.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A bad resource must not fail the hook.")]
    private static FhirReadResult ReadSafely(JsonElement element)
    {
        try
        {
            return LenientFhirReader.Read(element);
        }
        catch (Exception failure)
        {
            return new FhirReadResult(null, [], $"could not be read ({failure.GetType().Name}); skipped");
        }
    }

    private void WalkBundle(JsonElement bundle, string where, int depth, ReadState state)
    {
        if (depth >= MaxBundleDepth || !bundle.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var index = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("resource", out var resource))
            {
                Walk(resource, $"{where}.entry[{index}]", depth + 1, state);
            }

            index++;
        }
    }

    private bool IsRelevant(string type, JsonElement resource) => type switch
    {
        "Patient" or "ImagingStudy" => true,
        "Condition" => InAny(_conditionSets, Codings(resource, "code")),
        "Observation" => InAny(_observationSets, Codings(resource, "code").Concat(Codings(resource, "valueCodeableConcept")))
            || Codings(resource, "category").Any(coding => coding.Code == "imaging"),
        "DiagnosticReport" => IsImagingReport(resource),
        "ServiceRequest" => IsImagingOrder(resource),
        // Issue 16 (C6): the drug may be a medicationReference, resolved by the engine against the record's Medications.
        "MedicationRequest" or "MedicationStatement" or "MedicationAdministration" => IsGlucocorticoid(resource) || resource.TryGetProperty("medicationReference", out _),
        "Medication" => true,
        "Device" => InAny([_mriCaution], Codings(resource, "type")),
        _ => false,
    };

    private bool IsImagingReport(JsonElement report)
    {
        var categories = Codings(report, "category").ToList();
        return categories.Count == 0
            || categories.Any(coding => ImagingReportCategories.Contains(coding.Code))
            || report.TryGetProperty("imagingStudy", out _)
            || IsImagingOrder(report);
    }

    private bool IsImagingOrder(JsonElement order) =>
        InAny([_imagingOrders], Codings(order, "code"))
        || ImagingTextParser.Parse(Text(order, "code")).Modality is not null;

    private bool IsGlucocorticoid(JsonElement medication) =>
        _glucocorticoids.Matches(Codings(medication, "medicationCodeableConcept").Select(coding => new CodeKey(coding.System, coding.Code)), Text(medication, "medicationCodeableConcept"));

    private static bool InAny(ConceptSet[] sets, IEnumerable<(string System, string Code)> codings)
    {
        foreach (var (system, code) in codings)
        {
            var key = new CodeKey(system, code);
            if (sets.Any(set => set.Contains(key)))
            {
                return true;
            }
        }

        return false;
    }

    private static string? ResourceType(JsonElement element) =>
        element.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    /// <summary>The (system, code) pairs of a CodeableConcept element or an array of them.</summary>
    private static IEnumerable<(string System, string Code)> Codings(JsonElement resource, string property)
    {
        if (!resource.TryGetProperty(property, out var value))
        {
            yield break;
        }

        foreach (var concept in value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : Enumerable.Repeat(value, 1))
        {
            if (concept.ValueKind != JsonValueKind.Object || !concept.TryGetProperty("coding", out var codings) || codings.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var coding in codings.EnumerateArray())
            {
                if (coding.ValueKind == JsonValueKind.Object && String(coding, "system") is { } system && String(coding, "code") is { } code)
                {
                    yield return (system, code.Trim());
                }
            }
        }
    }

    /// <summary>The text and codings' displays of a CodeableConcept, joined.</summary>
    private static string? Text(JsonElement resource, string property)
    {
        if (!resource.TryGetProperty(property, out var concept) || concept.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var parts = new List<string>();
        if (String(concept, "text") is { } text)
        {
            parts.Add(text);
        }

        if (concept.TryGetProperty("coding", out var codings) && codings.ValueKind == JsonValueKind.Array)
        {
            parts.AddRange(codings.EnumerateArray().Where(coding => coding.ValueKind == JsonValueKind.Object).Select(coding => String(coding, "display")).OfType<string>());
        }

        return parts.Count == 0 ? null : string.Join(" | ", parts);
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed class ReadState
    {
        public Patient? Patient { get; set; }

        public List<Resource> Resources { get; } = [];

        public List<RecordReadIssue> Issues { get; } = [];

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);
    }
}
