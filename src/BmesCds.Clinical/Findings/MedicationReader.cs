using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Findings;

/// <summary>
/// Systemic glucocorticoid exposure for ON_RISK (BMES-RULES.md section 4 and 7a, C6): from MedicationRequest,
/// MedicationStatement and MedicationAdministration, the drug given as `medicationCodeableConcept` or as
/// `medicationReference` to a Medication that is contained, in the record (prefetch, or fetched by the host), or named
/// by the reference's display. A drug that cannot be identified at all is an unreadable fact (C7).
/// </summary>
internal sealed class MedicationReader
{
    private static readonly string[] LocalRouteWords = ["topical", "cutaneous", "inhal", "ophthalmic", "otic", "nasal", "intra-articular", "intraarticular"];

    private readonly Vocabulary _vocabulary;
    private readonly ClinicalOptions _options;
    private readonly DateTimeOffset _now;
    private readonly Dictionary<string, Medication> _medications = new(StringComparer.Ordinal);

    public MedicationReader(IReadOnlyList<Resource> record, Vocabulary vocabulary, ClinicalOptions options, DateTimeOffset now)
    {
        _vocabulary = vocabulary;
        _options = options;
        _now = now;
        foreach (var medication in new ResourcesOf<Medication>(record))
        {
            if (FhirFacts.ReferenceTo(medication) is { } reference)
            {
                _medications.TryAdd(reference, medication);
            }
        }
    }

    /// <summary>One medication record: its glucocorticoid evidence, or what could not be read about it, or nothing.</summary>
    public (Evidence? Glucocorticoid, UnreadableFact? Unreadable) Read(Resource resource)
    {
        if (Describe(resource) is not { } described || described.Status is "EnteredInError" or "Cancelled" or "NotTaken" or "NotDone")
        {
            return (null, null);
        }

        var (kind, medication, date, status, routes) = described;
        var recent = status is "Active" or "InProgress" || ClinicalWindow.InLastYears(date.Date, _now, _options.GlucocorticoidLookbackYears);
        var when = date.Date is { } known ? $", {known.UtcDateTime:yyyy-MM-dd}" : string.Empty;
        if (Drug(resource, medication) is not { } drug)
        {
            // Nothing names the drug: it could be a glucocorticoid. Only an exposure that would still count is worth a word.
            return recent || date.Unreadable
                ? (null, new UnreadableFact($"{kind}{when}: its drug could not be identified (the Medication it references is not in the record)", UnreadableScope.Hip))
                : (null, null);
        }

        var (keys, text, name) = drug;
        if (!_vocabulary.Glucocorticoids.Matches(keys, text) || routes.Any(IsLocalRoute))
        {
            return (null, null);
        }

        if (recent)
        {
            var display = _vocabulary.Glucocorticoids.Describe(keys, text) is { } ingredient ? name ?? ingredient : "glucocorticoid";
            return (new Evidence(display, date.Date), null);
        }

        return date.Unreadable
            ? (null, new UnreadableFact($"{kind} of {name ?? "a glucocorticoid"}: its date could not be read", UnreadableScope.Hip))
            : (null, null);
    }

    private static (string Kind, DataType? Medication, DateRead Date, string? Status, IEnumerable<CodeableConcept?> Routes)? Describe(Resource resource) => resource switch
    {
        MedicationRequest request => ("MedicationRequest", request.Medication, FhirFacts.ReadDate(request.AuthoredOn), request.Status?.ToString(),
            request.DosageInstruction.Select(dosage => dosage.Route)),
        MedicationStatement statement => ("MedicationStatement", statement.Medication,
            FhirFacts.ReadDate(statement.Effective).Or(FhirFacts.ReadDate(statement.DateAsserted)), statement.Status?.ToString(),
            statement.Dosage.Select(dosage => dosage.Route)),
        MedicationAdministration administration => ("MedicationAdministration", administration.Medication,
            FhirFacts.ReadDate(administration.Effective), administration.Status?.ToString(), [administration.Dosage?.Route]),
        _ => null,
    };

    /// <summary>The drug's codes, its words (codings' displays and texts) and the name the card shows; null when nothing names it.</summary>
    private (List<CodeKey> Keys, string Text, string? Name)? Drug(Resource resource, DataType? medication)
    {
        var concepts = new List<CodeableConcept>();
        var words = new List<string>();
        switch (medication)
        {
            case CodeableConcept concept:
                concepts.Add(concept);
                break;
            case ResourceReference reference:
                if (Resolve(resource, reference) is { } found)
                {
                    concepts.Add(found.Code ?? new CodeableConcept());
                    concepts.AddRange(found.Ingredient.Select(ingredient => ingredient.Item).OfType<CodeableConcept>());
                }

                if (!string.IsNullOrWhiteSpace(reference.Display))
                {
                    words.Add(reference.Display);
                }

                break;
        }

        var keys = concepts.SelectMany(concept => concept.Coding).Select(coding => CodeKey.From(coding)).OfType<CodeKey>().ToList();
        words.AddRange(concepts.SelectMany(FhirFacts.Texts));
        if (keys.Count == 0 && words.Count == 0)
        {
            return null;
        }

        var name = concepts.Select(concept => FhirFacts.Display(concept, string.Empty)).FirstOrDefault(display => display.Length > 0) ?? words.FirstOrDefault();
        return (keys, string.Join(" ", words), name);
    }

    /// <summary>A contained Medication ("#med"), or one of the record by "Medication/id" (relative or absolute).</summary>
    private Medication? Resolve(Resource resource, ResourceReference reference)
    {
        if (reference.Reference is { Length: > 1 } local && local.StartsWith('#'))
        {
            return (resource as DomainResource)?.Contained.OfType<Medication>().FirstOrDefault(contained => contained.Id == local[1..]);
        }

        return FhirFacts.Normalize(reference) is { } key ? _medications.GetValueOrDefault(key) : null;
    }

    // Topical, inhaled or eye/ear/nose steroids are not systemic exposure.
    private static bool IsLocalRoute(CodeableConcept? route)
    {
        var words = string.Join(" ", FhirFacts.Texts(route)).ToLowerInvariant();
        return LocalRouteWords.Any(word => words.Contains(word, StringComparison.Ordinal));
    }
}
