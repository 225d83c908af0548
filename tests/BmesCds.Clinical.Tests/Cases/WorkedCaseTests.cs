using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Tests.Cases;

/// <summary>The worked cases C1-C10 of BMES-RULES.md section 8, read from samples/cases/C*.request.json.</summary>
public class WorkedCaseTests
{
    private const string HipJoint = "24136001";
    private const string KneeJoint = "49076000";
    private const string Left = "7771000";
    private const string Right = "24028007";
    private const string Both = "51440002";

    [Test]
    public void C1_man_44_with_normal_left_hip_xray_ordering_left_hip_ct_gets_replace_with_mri_warning()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("C1"), "replace-with-mri", CardIndicator.Warning);
        var mri = CardAssert.Replaces(card, "ct-hip-left", "36488-5", "73721", HipJoint, Left);
        Assert.Multiple(() =>
        {
            Assert.That(mri.ReasonReference.Single().Reference, Is.EqualTo("Condition/c1-pain"));
            Assert.That(card.Summary, Does.Contain("left hip"));
            Assert.That(card.Detail, Does.Contain("Pain in left hip (M25.552), 2026-10-24"));
            Assert.That(card.Detail, Does.Contain("Plain X-ray of hip joint normal"));
            Assert.That(card.Detail, Does.Contain("CRP 3 mg/L"));
            Assert.That(card.Detail, Does.Contain("ESR 8 mm/h"));
            Assert.That(card.RuleDisplay, Is.EqualTo("Replace with MRI without contrast"));
        });
    }

    [Test]
    public void C2_man_38_with_two_weeks_of_right_hip_pain_ordering_his_first_hip_xray_gets_no_card() =>
        Assert.That(Fixtures.Evaluate("C2"), Is.Empty);

    [Test]
    public void C3_pregnant_woman_33_with_left_hip_pain_ordering_pelvis_xray_gets_replace_with_left_hip_mri()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("C3"), "pregnancy-avoid-ionizing", CardIndicator.Warning);
        CardAssert.Replaces(card, "xr-pelvis-hip", "36488-5", "73721", HipJoint, Left);
        Assert.That(card.Detail, Does.Contain("Pregnancy"));
    }

    [Test]
    public void C4_man_51_with_alcohol_dependence_and_a_left_hip_mri_already_drafted_ordering_ct_gets_no_card() =>
        Assert.That(Fixtures.Evaluate("C4"), Is.Empty);

    [Test]
    public void C5_man_40_with_fever_and_crp_140_ordering_hip_mri_gets_no_card() =>
        Assert.That(Fixtures.Evaluate("C5"), Is.Empty);

    [Test]
    public void C6_man_36_with_normal_knee_xray_two_weeks_ago_ordering_another_knee_xray_gets_info_to_replace_with_left_knee_mri()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("C6"), "replace-with-mri", CardIndicator.Info);
        CardAssert.Replaces(card, "xr-knee", "36508-0", "73721", KneeJoint, Left);
        Assert.That(card.Summary, Does.Contain("left knee"));
    }

    [Test]
    public void C7_man_47_with_sle_and_steroids_ordering_contrast_hip_mri_gets_osteonecrosis_risk_card_replacing_with_mri_of_both_hips()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("C7"), "osteonecrosis-risk", CardIndicator.Warning);
        CardAssert.Replaces(card, "mr-hip-wo-w", "36486-9", "72195", HipJoint, Both);
        Assert.Multiple(() =>
        {
            Assert.That(card.Detail, Does.Contain("`mri-without-contrast`"));
            Assert.That(card.Detail, Does.Contain("systemic lupus erythematosus"));
            Assert.That(card.Detail, Does.Contain("systemic glucocorticoids"));
        });
    }

    [Test]
    public void C8_man_45_with_pacemaker_ordering_right_hip_ct_after_normal_xray_gets_info_without_suggestion_and_mr_conditional_advice()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("C8"), "replace-with-mri", CardIndicator.Info);
        Assert.Multiple(() =>
        {
            Assert.That(card.Suggestions, Is.Empty);
            Assert.That(card.Detail, Does.Contain("MR-conditional"));
            Assert.That(card.Detail, Does.Contain("SPECT"));
        });
    }

    [Test]
    public void C9_man_42_with_marrow_edema_on_mri_and_no_risk_factors_gets_no_card_on_patient_view() =>
        Assert.That(Fixtures.Evaluate("C9"), Is.Empty);

    [Test]
    public void C10_woman_58_with_crescent_sign_on_right_hip_xray_gets_osteonecrosis_findings_with_condition_and_mri_of_both_hips()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("C10"), "osteonecrosis-findings", CardIndicator.Warning);
        Assert.That(card.Suggestions, Has.Count.EqualTo(2));
        var condition = (Condition)card.Suggestions[0].Actions.Single().Resource!;
        Assert.Multiple(() =>
        {
            Assert.That(condition.Code!.Coding.Single().Code, Is.EqualTo("444849002"));
            Assert.That(condition.VerificationStatus!.Coding.Single().Code, Is.EqualTo("provisional"));
            Assert.That(CardAssert.BodySiteCodes(condition.BodySite), Is.EqualTo(new[] { HipJoint, Right }));
            Assert.That(condition.Evidence.Single().Detail.Single().Reference, Is.EqualTo("DiagnosticReport/c10-xr"));
            Assert.That(card.Suggestions[0].Actions.Single().Kind, Is.EqualTo(ActionKind.Create));
        });
        CardAssert.Mri(card.Suggestions[1].Actions.Single().Resource, "36486-9", "72195", RequestIntent.Proposal, HipJoint, Both);
        Assert.That(card.Suggestions[1].IsRecommended, Is.True);
    }
}
