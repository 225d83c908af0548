using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;
using static BmesCds.Clinical.Tests.Support.Make;

namespace BmesCds.Clinical.Tests.Findings;

/// <summary>Each finding of section 4 on its own, for the left hip unless the test says otherwise.</summary>
public class FindingTests
{
    private static readonly Vocabulary Vocabulary = new(Fixtures.Terminology);

    private static JointFindings LeftHip(params Resource[] record) => Compute(PatientView(Patient(), record), Joint.Hip, Side.Left, null);

    private static JointFindings Compute(EvaluationRequest request, Joint joint, Side side, ServiceRequest? order)
    {
        var options = new ClinicalOptions();
        var facts = PatientFacts.Build(request, Vocabulary, options);
        var kind = order is null ? null : Vocabulary.Classifier.Classify(order, facts.FindCondition);
        return JointFindings.Compute(facts, new Target(joint, side, order, kind), Vocabulary, options);
    }

    [Test]
    public void Pain_comes_from_the_order_reason_when_no_condition_is_recorded()
    {
        var order = Order("mr", Cpt, "73721");
        order.ReasonCode.Add(new CodeableConcept(Icd, "M25.552"));
        var findings = Compute(OrderSelect(order, Patient()), Joint.Hip, Side.Left, order);
        Assert.That(findings.Pain, Has.Count.EqualTo(1));
    }

    [Test]
    public void Joint_pain_57676002_takes_its_joint_from_body_site()
    {
        var findings = Compute(PatientView(Patient(), Condition(Snomed, "57676002", 30, bodySites: [Site("49076000"), Site("24028007")])), Joint.Knee, Side.Right, null);
        Assert.That((findings.Pain.Count, findings.PainSide), Is.EqualTo((1, Side.Right)));
    }

    [Test]
    public void Refuted_and_entered_in_error_pain_is_no_pain()
    {
        var findings = LeftHip(Condition(Icd, "M25.552", verification: "refuted"), Condition(Icd, "M25.552", 40, verification: "entered-in-error"));
        Assert.That(findings.Pain, Is.Empty);
    }

    [Test]
    public void Normal_xray_from_a_coded_observation_value()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(Loinc, "26131-3"),
            Effective = new FhirDateTime(Day(10)),
            Value = new CodeableConcept(Snomed, "168661005"),
        };
        Assert.That(LeftHip(observation).Xray, Is.EqualTo(XrayResult.Normal));
    }

    [Test]
    public void Joint_space_narrowing_in_the_report_text_is_an_abnormal_xray() =>
        Assert.That(LeftHip(Report("26131-3", 10, "Joint space narrowing, superolateral.")).Xray, Is.EqualTo(XrayResult.Abnormal));

    [Test]
    public void Xray_study_without_report_is_an_xray_without_result()
    {
        var study = new ImagingStudy { Status = ImagingStudy.ImagingStudyStatus.Available, Started = Day(5), Description = "XR HIP LT 2 VIEWS" };
        var findings = LeftHip(study);
        Assert.That((findings.XrayDone, findings.Xray), Is.EqualTo((true, XrayResult.None)));
    }

    [Test]
    public void Xray_older_than_90_days_does_not_count()
    {
        var findings = LeftHip(NormalLeftHipXray(91));
        Assert.That((findings.XrayDone, findings.Xray), Is.EqualTo((false, XrayResult.None)));
    }

    [Test]
    public void Right_hip_xray_does_not_count_for_the_left_hip_but_a_bilateral_one_does()
    {
        Assert.That(LeftHip(Report("26132-1", 10, conclusionCode: "168661005")).XrayDone, Is.False);
        Assert.That(LeftHip(Report("26130-5", 10, conclusionCode: "168661005")).Xray, Is.EqualTo(XrayResult.Normal));
    }

    [Test]
    public void Mri_42_days_ago_is_recent_and_43_days_ago_is_not()
    {
        Assert.That(LeftHip(Report("36488-5", 41, "Normal MRI.")).MriRecent, Is.Not.Empty);
        Assert.That(LeftHip(Report("36488-5", 43, "Normal MRI.")).MriRecent, Is.Empty);
    }

    [Test]
    public void Active_mri_order_on_record_is_mri_recent()
    {
        var order = Order("mr", Loinc, "36488-5");
        order.Status = RequestStatus.Active;
        Assert.That(LeftHip(order).MriRecent, Is.Not.Empty);
        order.Status = RequestStatus.Revoked;
        Assert.That(LeftHip(order).MriRecent, Is.Empty);
    }

    [Test]
    public void Mri_result_words_osteonecrosis_win_over_marrow_edema() =>
        Assert.That(LeftHip(Report("36488-5", 20, "Bone marrow edema pattern and a double line sign.")).MriResult, Is.EqualTo(MriFinding.OsteonecrosisFeatures));

    [Test]
    public void Mri_result_older_than_12_weeks_does_not_count() =>
        Assert.That(LeftHip(Report("36488-5", 85, "Bone marrow edema pattern.")).MriResult, Is.EqualTo(MriFinding.None));

    [Test]
    public void Coded_equivocal_mri_observation_is_equivocal()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(Loinc, "36488-5"),
            Effective = new FhirDateTime(Day(10)),
            Value = new CodeableConcept("https://bmes-cds.org/fhir/CodeSystem/bmes-imaging-finding", "equivocal"),
        };
        Assert.That(LeftHip(observation).MriResult, Is.EqualTo(MriFinding.Equivocal));
    }

    [Test]
    public void Flattening_on_an_xray_within_12_months_is_osteonecrosis_imaging()
    {
        Assert.That(LeftHip(Report("26131-3", 300, "Flattening of the femoral head.")).OsteonecrosisImaging, Is.Not.Empty);
        Assert.That(LeftHip(Report("26131-3", 400, "Flattening of the femoral head.")).OsteonecrosisImaging, Is.Empty);
    }

    [TestCase("1988-5", 12, "mg/L", null, null, true)]
    [TestCase("1988-5", 9, "mg/L", null, null, false)]
    [TestCase("1988-5", 1.2, "mg/dL", null, null, true)]
    [TestCase("1988-5", 50, "mg/L", "N", null, false)]
    [TestCase("1988-5", 4, "mg/L", "H", null, true)]
    [TestCase("1988-5", 6, "mg/L", null, 5.0, true)]
    [TestCase("4537-7", 25, "mm/h", null, null, true)]
    [TestCase("26464-8", 11.5, "10*9/L", null, null, true)]
    [TestCase("26464-8", 9800, "/uL", null, null, false)]
    [TestCase("26464-8", 12000, "/uL", null, null, true)]
    [TestCase("8310-5", 38.2, "Cel", null, null, true)]
    [TestCase("8310-5", 99.5, "[degF]", null, null, false)]
    public void Inflammation_from_interpretation_then_range_then_defaults(string loinc, decimal value, string unit, string? interpretation, double? high, bool inflamed)
    {
        var lab = Lab(loinc, value, unit, 3, interpretation, high is null ? null : (decimal)high);
        Assert.That(LeftHip(lab).Inflammation.Count > 0, Is.EqualTo(inflamed));
    }

    [Test]
    public void Esr_25_is_high_for_a_man_and_not_for_a_woman()
    {
        var lab = Lab("4537-7", 25, "mm/h");
        Assert.That(Compute(PatientView(Patient("male"), lab), Joint.Hip, Side.Left, null).Inflammation, Is.Not.Empty);
        Assert.That(Compute(PatientView(Patient("female"), lab), Joint.Hip, Side.Left, null).Inflammation, Is.Empty);
    }

    [Test]
    public void Labs_older_than_30_days_and_fever_older_than_7_days_do_not_count()
    {
        Assert.That(LeftHip(Lab("1988-5", 80, "mg/L", 31)).Inflammation, Is.Empty);
        Assert.That(LeftHip(Lab("8310-5", 39, "Cel", 8)).Inflammation, Is.Empty);
    }

    [Test]
    public void Labs_normal_needs_both_crp_and_esr()
    {
        Assert.That(LeftHip(Lab("1988-5", 2, "mg/L")).LabsNormal, Is.Empty);
        Assert.That(LeftHip(Lab("1988-5", 2, "mg/L"), Lab("30341-2", 5, "mm/h")).LabsNormal, Has.Count.EqualTo(2));
    }

    [Test]
    public void Risk_factors_are_grouped_with_their_evidence()
    {
        var findings = LeftHip(Condition(Snomed, "66590003"), Condition(Icd, "F10.20", 60), Condition(Snomed, "55464009"));
        Assert.That(findings.OsteonecrosisRisk.Select(risk => (risk.Group, risk.Evidence.Count)), Is.EquivalentTo(new[] { ("alcohol", 2), ("sle", 1) }));
    }

    [Test]
    public void Resolved_transplant_still_counts_and_resolved_alcohol_abuse_does_not()
    {
        var findings = LeftHip(Condition(Icd, "Z94.0", 2000, "resolved"), Condition(Snomed, "15167005", 2000, "resolved"));
        Assert.That(findings.OsteonecrosisRisk.Select(risk => risk.Group), Is.EqualTo(new[] { "transplant" }));
    }

    [Test]
    public void Glucocorticoid_within_two_years_counts_and_topical_or_older_does_not()
    {
        static MedicationStatement Steroid(string code, int daysAgo, string? route = null)
        {
            var statement = new MedicationStatement
            {
                Status = MedicationStatement.MedicationStatusCodes.Completed,
                Medication = new CodeableConcept("http://www.nlm.nih.gov/research/umls/rxnorm", code),
                Effective = new FhirDateTime(Day(daysAgo)),
            };
            if (route is not null)
            {
                statement.Dosage.Add(new Dosage { Route = new CodeableConcept { Text = route } });
            }

            return statement;
        }

        Assert.That(LeftHip(Steroid("8640", 500)).OsteonecrosisRisk, Has.Count.EqualTo(1));
        Assert.That(LeftHip(Steroid("8640", 800)).OsteonecrosisRisk, Is.Empty);
        Assert.That(LeftHip(Steroid("5492", 30, "Topical")).OsteonecrosisRisk, Is.Empty);
    }

    [Test]
    public void Prednisone_tablet_product_code_is_recognised_by_its_name()
    {
        var request = new MedicationRequest
        {
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Medication = new CodeableConcept("http://www.nlm.nih.gov/research/umls/rxnorm", "312617", "predniSONE 20 MG Oral Tablet"),
        };
        Assert.That(LeftHip(request).OsteonecrosisRisk.Single().Group, Is.EqualTo("glucocorticoids"));
    }

    [Test]
    public void Osteonecrosis_of_unspecified_femur_counts_as_diagnosis_at_either_hip() =>
        Assert.That(LeftHip(Condition(Icd, "M87.059")).OsteonecrosisDiagnosis, Is.Not.Empty);

    [Test]
    public void Latest_pregnancy_status_observation_decides()
    {
        Observation Status(string answer, int daysAgo) => new()
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(Loinc, "82810-3"),
            Effective = new FhirDateTime(Day(daysAgo)),
            Value = new CodeableConcept(Loinc, answer),
        };
        Assert.That(LeftHip(Status("LA15173-0", 5)).Pregnant, Is.Not.Empty);
        Assert.That(LeftHip(Status("LA15173-0", 50), Status("LA26683-5", 5)).Pregnant, Is.Empty);
    }

    [Test]
    public void Implanted_defibrillator_device_is_mri_caution()
    {
        var device = new Device { Status = Device.FHIRDeviceStatus.Active, Type = new CodeableConcept(Snomed, "72506001") };
        Assert.That(LeftHip(device).MriCaution, Is.Not.Empty);
    }

    [Test]
    public void Unknown_age_is_adult_and_a_17_year_old_is_not()
    {
        Assert.That(Compute(PatientView(null), Joint.Hip, Side.Left, null).Adult, Is.True);
        Assert.That(Compute(PatientView(Patient(age: 17)), Joint.Hip, Side.Left, null).Adult, Is.False);
    }
}
