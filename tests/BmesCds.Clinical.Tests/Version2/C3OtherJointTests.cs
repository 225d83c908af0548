using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;
using static BmesCds.Clinical.Tests.Support.Make;

namespace BmesCds.Clinical.Tests.Version2;

/// <summary>
/// C3: a Condition whose code or bodySite names a joint other than hip, knee or ankle concerns that joint only; only a
/// Condition with no site at all is "joint unknown" (an ON_DX without any site counts for every joint); ON of a
/// non-hip joint is an ON risk factor for the hip.
/// </summary>
public class C3OtherJointTests
{
    private static Condition Osteonecrosis(params CodeableConcept[] sites) => Condition(Snomed, "397758007", 400, bodySites: sites);

    private static CodeableConcept Shoulder() => new(Snomed, "16982005", "Shoulder region structure");

    [Test]
    public void Osteonecrosis_of_the_shoulder_is_no_diagnosis_at_the_hip_but_a_risk_factor_for_it()
    {
        var findings = FindingsOf.LeftHip(Osteonecrosis(Shoulder()));
        Assert.Multiple(() =>
        {
            Assert.That(findings.OsteonecrosisDiagnosis, Is.Empty);
            Assert.That(findings.OsteonecrosisRisk.Single().Group, Is.EqualTo("other-joint-osteonecrosis"));
            Assert.That(findings.OsteonecrosisRisk.Single().Describe(), Does.Contain("osteonecrosis of another joint").And.Contain("Shoulder region structure"));
        });
    }

    [Test]
    public void Osteonecrosis_of_the_shoulder_named_only_in_the_code_text_is_elsewhere_too()
    {
        var condition = Osteonecrosis();
        condition.Code!.Text = "Avascular necrosis of right humeral head";
        Assert.That(FindingsOf.LeftHip(condition).OsteonecrosisDiagnosis, Is.Empty);
    }

    [Test]
    public void Osteonecrosis_without_any_site_counts_for_every_joint()
    {
        Assert.That(FindingsOf.LeftHip(Osteonecrosis()).OsteonecrosisDiagnosis, Is.Not.Empty);
        Assert.That(FindingsOf.At(Joint.Knee, Side.Right, Osteonecrosis()).OsteonecrosisDiagnosis, Is.Not.Empty);
        Assert.That(FindingsOf.At(Joint.Ankle, Side.Left, Condition(Icd, "M87.9")).OsteonecrosisDiagnosis, Is.Not.Empty);
    }

    [Test]
    public void Osteonecrosis_at_a_site_this_reader_cannot_place_is_fail_safe()
    {
        // "femoral condyle" is the knee, "femur" alone is no joint: neither is elsewhere, so the hip stays silenced.
        Assert.That(FindingsOf.LeftHip(Osteonecrosis(new CodeableConcept { Text = "Distal femur" })).OsteonecrosisDiagnosis, Is.Not.Empty);
        Assert.That(FindingsOf.LeftHip(Osteonecrosis(new CodeableConcept(Snomed, "123456", "Unplaceable structure"))).OsteonecrosisDiagnosis, Is.Not.Empty);
    }

    [Test]
    public void Osteonecrosis_of_the_knee_is_the_knee_and_a_risk_factor_for_the_hip()
    {
        var knee = Osteonecrosis(Site("49076000"), Site("24028007"));
        Assert.Multiple(() =>
        {
            Assert.That(FindingsOf.At(Joint.Knee, Side.Right, knee).OsteonecrosisDiagnosis, Is.Not.Empty);
            Assert.That(FindingsOf.LeftHip(knee).OsteonecrosisDiagnosis, Is.Empty);
            Assert.That(FindingsOf.LeftHip(knee).OsteonecrosisRisk.Single().Describe(), Does.Contain("knee"));
        });
        var condyle = Osteonecrosis(new CodeableConcept { Text = "Medial femoral condyle" });
        Assert.That(FindingsOf.At(Joint.Knee, Side.Left, condyle).OsteonecrosisDiagnosis, Is.Not.Empty);
    }

    [Test]
    public void Joint_pain_of_the_shoulder_is_no_hip_pain()
    {
        var shoulderPain = Condition(Snomed, "57676002", 30, bodySites: [Shoulder(), Site("7771000")]);
        Assert.That(FindingsOf.LeftHip(shoulderPain).Pain, Is.Empty);
    }

    [Test]
    public void Shoulder_osteonecrosis_and_sickle_cell_with_left_hip_pain_and_ct_after_a_normal_xray_gets_osteonecrosis_risk()
    {
        // The miss: the shoulder diagnosis used to silence the hip.
        var cards = Evaluate(OrderSelect(CtLeftHip(), Patient(age: 31), Osteonecrosis(Shoulder()), Condition(Icd, "D57.1", 5000), LeftHipPain(10), NormalLeftHipXray(14)));
        var card = CardAssert.Single(cards, "osteonecrosis-risk", CardIndicator.Warning);
        CardAssert.Replaces(card, "ct", "36486-9", "72195", "24136001", "51440002");
        Assert.That(card.Detail, Does.Contain("sickle cell disease").And.Contain("osteonecrosis of another joint"));
    }
}
