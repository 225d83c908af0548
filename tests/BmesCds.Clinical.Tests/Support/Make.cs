using BmesCds.Clinical.Engine;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Tests.Support;

/// <summary>Small builders of FHIR facts for single-finding tests; dates are days before <see cref="Fixtures.Now"/>.</summary>
public static class Make
{
    public const string Snomed = "http://snomed.info/sct";
    public const string Icd = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string Loinc = "http://loinc.org";
    public const string Cpt = "http://www.ama-assn.org/go/cpt";

    public static string Day(int daysAgo) => Fixtures.Now.AddDays(-daysAgo).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static Patient Patient(string gender = "male", int age = 44) => new()
    {
        Id = "p",
        Gender = gender == "female" ? AdministrativeGender.Female : AdministrativeGender.Male,
        BirthDate = $"{2026 - age}-03-15",
    };

    public static Condition Condition(string system, string code, int daysAgo = 30, string status = "active", string verification = "confirmed", params CodeableConcept[] bodySites) => new()
    {
        Id = $"{code}-{daysAgo}-{status}",
        Code = new CodeableConcept(system, code, code),
        ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", status),
        VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", verification),
        Onset = new FhirDateTime(Day(daysAgo)),
        BodySite = [.. bodySites],
    };

    public static Condition LeftHipPain(int daysAgo = 30) => Condition(Icd, "M25.552", daysAgo);

    public static DiagnosticReport Report(string loinc, int daysAgo, string? conclusion = null, string? conclusionCode = null, string status = "final")
    {
        var report = new DiagnosticReport
        {
            Id = $"r-{loinc}-{daysAgo}",
            Status = status == "final" ? DiagnosticReport.DiagnosticReportStatus.Final : DiagnosticReport.DiagnosticReportStatus.EnteredInError,
            Code = new CodeableConcept(Loinc, loinc),
            Effective = new FhirDateTime(Day(daysAgo)),
            Conclusion = conclusion,
        };
        if (conclusionCode is not null)
        {
            report.ConclusionCode.Add(new CodeableConcept(Snomed, conclusionCode));
        }

        return report;
    }

    public static DiagnosticReport NormalLeftHipXray(int daysAgo = 20) => Report("26131-3", daysAgo, conclusionCode: "168661005");

    public static Observation Lab(string loinc, decimal value, string unit, int daysAgo = 5, string? interpretation = null, decimal? rangeHigh = null)
    {
        var observation = new Observation
        {
            Id = $"lab-{loinc}-{value}",
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(Loinc, loinc),
            Effective = new FhirDateTime(Day(daysAgo)),
            Value = new Quantity(value, unit, "http://unitsofmeasure.org"),
        };
        if (interpretation is not null)
        {
            observation.Interpretation.Add(new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", interpretation));
        }

        if (rangeHigh is { } high)
        {
            observation.ReferenceRange.Add(new Observation.ReferenceRangeComponent { High = new Quantity(high, unit, "http://unitsofmeasure.org") });
        }

        return observation;
    }

    public static ServiceRequest Order(string id, string system, string code, params CodeableConcept[] bodySites) => new()
    {
        Id = id,
        Status = RequestStatus.Draft,
        Intent = RequestIntent.Order,
        Code = new CodeableConcept(system, code),
        BodySite = [.. bodySites],
    };

    public static ServiceRequest CtLeftHip() => Order("ct", Loinc, "36487-7");

    public static CodeableConcept Site(string code) => new(Snomed, code);

    public static EvaluationRequest OrderSelect(ServiceRequest order, Patient? patient, params Resource[] record) =>
        new(new HookContext(HookKind.OrderSelect, "p", "Practitioner/example", null, [$"ServiceRequest/{order.Id}"]), [order], new PatientRecord(patient, record), Fixtures.Now);

    public static EvaluationRequest OrderSign(IReadOnlyList<Resource> drafts, Patient? patient, params Resource[] record) =>
        new(new HookContext(HookKind.OrderSign, "p", "Practitioner/example", null, []), drafts, new PatientRecord(patient, record), Fixtures.Now);

    public static EvaluationRequest PatientView(Patient? patient, params Resource[] record) =>
        new(new HookContext(HookKind.PatientView, "p", "Practitioner/example", null, []), [], new PatientRecord(patient, record), Fixtures.Now);

    public static IReadOnlyList<CardDraft> Evaluate(EvaluationRequest request) => Fixtures.Engine().Evaluate(request);
}
