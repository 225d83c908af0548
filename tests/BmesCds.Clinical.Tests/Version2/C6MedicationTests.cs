using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;
using static BmesCds.Clinical.Tests.Support.Make;

namespace BmesCds.Clinical.Tests.Version2;

/// <summary>
/// C6: glucocorticoid exposure from MedicationRequest, MedicationStatement and MedicationAdministration; the drug as
/// medicationCodeableConcept or medicationReference to a Medication that is contained or in the record (prefetched,
/// or fetched by the host).
/// </summary>
public class C6MedicationTests
{
    private const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";

    private static Medication Prednisone(string id = "pred") => new() { Id = id, Code = new CodeableConcept(RxNorm, "312617", "predniSONE 20 MG Oral Tablet") };

    private static MedicationRequest Request(DataType medication) => new()
    {
        Id = "mr",
        Status = MedicationRequest.MedicationrequestStatus.Active,
        Intent = MedicationRequest.MedicationRequestIntent.Order,
        Medication = medication,
        AuthoredOn = Day(60),
    };

    [Test]
    public void Medication_statement_counts()
    {
        var statement = new MedicationStatement
        {
            Status = MedicationStatement.MedicationStatusCodes.Completed,
            Medication = new CodeableConcept(RxNorm, "8638", "prednisolone"),
            Effective = new Period { Start = Day(200), End = Day(100) },
        };
        Assert.That(FindingsOf.LeftHip(statement).OsteonecrosisRisk.Single().Describe(), Does.Contain("systemic glucocorticoids: prednisolone"));
    }

    [Test]
    public void Medication_administration_counts_and_one_not_done_does_not()
    {
        var given = new MedicationAdministration
        {
            Status = MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
            Medication = new CodeableConcept(RxNorm, "6902", "methylprednisolone"),
            Effective = new FhirDateTime(Day(40)),
        };
        Assert.That(FindingsOf.LeftHip(given).OsteonecrosisRisk.Single().Group, Is.EqualTo("glucocorticoids"));
        given.Status = MedicationAdministration.MedicationAdministrationStatusCodes.NotDone;
        Assert.That(FindingsOf.LeftHip(given).OsteonecrosisRisk, Is.Empty);
    }

    [Test]
    public void Medication_administration_by_an_intra_articular_route_is_not_systemic()
    {
        var injection = new MedicationAdministration
        {
            Status = MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
            Medication = new CodeableConcept(RxNorm, "6902", "methylprednisolone"),
            Effective = new FhirDateTime(Day(40)),
            Dosage = new MedicationAdministration.DosageComponent { Route = new CodeableConcept { Text = "Intra-articular" } },
        };
        Assert.That(FindingsOf.LeftHip(injection).OsteonecrosisRisk, Is.Empty);
    }

    [Test]
    public void Medication_reference_to_a_medication_of_the_record_counts()
    {
        var findings = FindingsOf.LeftHip(Request(new ResourceReference("Medication/pred")), Prednisone());
        Assert.That(findings.OsteonecrosisRisk.Single().Describe(), Does.Contain("predniSONE 20 MG Oral Tablet"));
    }

    [Test]
    public void Absolute_medication_reference_is_matched_by_type_and_id() =>
        Assert.That(FindingsOf.LeftHip(Request(new ResourceReference("https://ehr.example.org/fhir/Medication/pred")), Prednisone()).OsteonecrosisRisk, Has.Count.EqualTo(1));

    [Test]
    public void Contained_medication_counts()
    {
        var request = Request(new ResourceReference("#med"));
        request.Contained.Add(Prednisone("med"));
        Assert.That(FindingsOf.LeftHip(request).OsteonecrosisRisk, Has.Count.EqualTo(1));
    }

    [Test]
    public void Medication_identified_by_an_ingredient_counts()
    {
        var medication = new Medication { Id = "combo", Code = new CodeableConcept { Text = "Compounded capsule" } };
        medication.Ingredient.Add(new Medication.IngredientComponent { Item = new CodeableConcept(RxNorm, "3264", "dexamethasone") });
        Assert.That(FindingsOf.LeftHip(Request(new ResourceReference("Medication/combo")), medication).OsteonecrosisRisk, Has.Count.EqualTo(1));
    }

    [Test]
    public void Unresolved_reference_with_a_display_is_read_by_its_display()
    {
        var byDisplay = Request(new ResourceReference("Medication/elsewhere", "Prednisone 5 mg tablet"));
        Assert.That(FindingsOf.LeftHip(byDisplay).OsteonecrosisRisk, Has.Count.EqualTo(1));
        var other = Request(new ResourceReference("Medication/elsewhere", "Ibuprofen 400 mg tablet"));
        Assert.That((FindingsOf.LeftHip(other).OsteonecrosisRisk.Count, FindingsOf.LeftHip(other).Unreadable.Count), Is.EqualTo((0, 0)));
    }

    [Test]
    public void Non_glucocorticoid_medication_is_no_risk() =>
        Assert.That(FindingsOf.LeftHip(Request(new ResourceReference("Medication/ibu")), new Medication { Id = "ibu", Code = new CodeableConcept(RxNorm, "5640", "ibuprofen") }).OsteonecrosisRisk, Is.Empty);
}
