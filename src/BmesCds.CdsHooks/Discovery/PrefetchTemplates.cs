using BmesCds.Clinical.Terminology;

namespace BmesCds.CdsHooks.Discovery;

/// <summary>
/// The prefetch templates BmesCds asks for. Only CDS Hooks 2.0 tokens are used; templates cannot carry a date floor,
/// so searches are sorted newest first and capped with `_count`, and the clinical windows are applied in code.
/// The same templates drive the FHIR-server fallback, so both paths fetch the same facts.
/// The three medication keys ask the EHR to `_include` the Medication a `medicationReference` points to (BMES-RULES.md
/// 7a, C6); a server that ignores `_include` is still right, since the service then reads each referenced Medication
/// from fhirServer itself (ReferencedMedications in the host).
/// </summary>
public static class PrefetchTemplates
{
    public const string Patient = "patient";
    public const string Conditions = "conditions";
    public const string Observations = "observations";
    public const string ImagingObservations = "imagingObservations";
    public const string ImagingStudies = "imagingStudies";
    public const string DiagnosticReports = "diagnosticReports";
    public const string ServiceRequests = "serviceRequests";
    public const string MedicationRequests = "medicationRequests";
    public const string MedicationStatements = "medicationStatements";
    public const string MedicationAdministrations = "medicationAdministrations";

    /// <summary>The keys whose resources can name their drug by medicationReference.</summary>
    public static IReadOnlyList<string> MedicationKeys { get; } = [MedicationRequests, MedicationStatements, MedicationAdministrations];

    /// <summary>Builds the templates; the lab codes come from the `lab-codes` ValueSet, not from C#.</summary>
    public static IReadOnlyDictionary<string, string> Build(BmesTerminology terminology)
    {
        var labCodes = string.Join(',', terminology[BmesCanonicals.LabCodes].Concepts
            .OrderBy(concept => concept.Key.Code, StringComparer.Ordinal)
            .Select(concept => $"{concept.Key.System}|{concept.Key.Code}"));
        const string patient = "{{context.patientId}}";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Patient] = $"Patient/{patient}",
            [Conditions] = $"Condition?patient={patient}&_count=200",
            [Observations] = $"Observation?patient={patient}&code={labCodes}&_sort=-date&_count=100",
            [ImagingObservations] = $"Observation?patient={patient}&category=imaging&_sort=-date&_count=50",
            [ImagingStudies] = $"ImagingStudy?patient={patient}&_sort=-started&_count=50",
            [DiagnosticReports] = $"DiagnosticReport?patient={patient}&_sort=-date&_count=50",
            [ServiceRequests] = $"ServiceRequest?patient={patient}&_sort=-authored&_count=50",
            [MedicationRequests] = $"MedicationRequest?patient={patient}&_include=MedicationRequest:medication&_sort=-authoredon&_count=100",
            [MedicationStatements] = $"MedicationStatement?patient={patient}&_include=MedicationStatement:medication&_sort=-effective&_count=100",
            [MedicationAdministrations] = $"MedicationAdministration?patient={patient}&_include=MedicationAdministration:medication&_sort=-effective-time&_count=100",
        };
    }
}
