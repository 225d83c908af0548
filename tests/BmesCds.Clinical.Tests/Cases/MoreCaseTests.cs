using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Tests.Cases;

/// <summary>The engine's own cases, read from samples/cases/X*.request.json.</summary>
public class MoreCaseTests
{
    private const string HipJoint = "24136001";
    private const string KneeJoint = "49076000";
    private const string AnkleJoint = "70258002";
    private const string Left = "7771000";
    private const string Right = "24028007";
    private const string Both = "51440002";

    [Test]
    public void X01_left_hip_pain_coded_in_snomed_with_bodysite_gets_the_same_card_as_icd10()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X01"), "replace-with-mri", CardIndicator.Warning);
        CardAssert.Replaces(card, "ct-hip-left", "36488-5", "73721", HipJoint, Left);
    }

    [Test]
    public void X02_left_hip_pain_with_a_right_hip_ct_order_gets_no_card() =>
        Assert.That(Fixtures.Evaluate("X02"), Is.Empty);

    [Test]
    public void X03_pain_in_both_hips_with_normal_bilateral_xray_gets_one_patient_view_card_proposing_mri_of_both_hips()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X03"), "mri-recommended", CardIndicator.Info);
        var mri = CardAssert.Mri(card.Suggestions.Single().Actions.Single().Resource, "36486-9", "72195", RequestIntent.Proposal, HipJoint, Both);
        Assert.Multiple(() =>
        {
            Assert.That(mri.Encounter?.Reference, Is.EqualTo("Encounter/x03-visit"));
            Assert.That(card.Summary, Does.Contain("both hips"));
        });
    }

    [Test]
    public void X04_right_ankle_ct_after_normal_ankle_xray_text_gets_info_to_replace_with_right_ankle_mri()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X04"), "replace-with-mri", CardIndicator.Info);
        CardAssert.Replaces(card, "ct-ankle-right", "36429-9", "73721", AnkleJoint, Right);
    }

    [Test]
    public void X05_sandbox_cpt_73700_with_only_a_knee_pain_reason_is_judged_as_a_knee_ct()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X05"), "replace-with-mri", CardIndicator.Info);
        var mri = CardAssert.Replaces(card, "example-request-id", "30691-0", "73721", KneeJoint);
        Assert.That(mri.ReasonReference.Single().Reference, Is.EqualTo("Condition/x05-pain"));
    }

    [Test]
    public void X06_crp_2_5_mg_per_dl_is_25_mg_per_l_and_silences_the_card() =>
        Assert.That(Fixtures.Evaluate("X06"), Is.Empty);

    [Test]
    public void X07_crp_0_4_mg_per_dl_is_normal_and_the_card_shows_it_in_mg_per_l()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X07"), "replace-with-mri", CardIndicator.Warning);
        Assert.That(card.Detail, Does.Contain("CRP 4 mg/L"));
    }

    [Test]
    public void X08_bone_scan_with_hip_bodysite_after_normal_xray_and_no_labs_gets_replace_with_mri()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X08"), "replace-with-mri", CardIndicator.Warning);
        CardAssert.Replaces(card, "bone-scan", "36488-5", "73721", HipJoint, Left);
        Assert.That(card.Detail, Does.Not.Contain("Labs"));
    }

    [Test]
    public void X09_resolved_hip_pain_is_no_pain_and_gets_no_card() =>
        Assert.That(Fixtures.Evaluate("X09"), Is.Empty);

    [Test]
    public void X10_refuted_fever_does_not_silence_the_card() =>
        CardAssert.Single(Fixtures.Evaluate("X10"), "replace-with-mri", CardIndicator.Warning);

    [Test]
    public void X11_pregnant_woman_ordering_contrast_hip_mri_gets_mri_without_contrast_mentioning_gadolinium()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X11"), "mri-without-contrast", CardIndicator.Info);
        CardAssert.Replaces(card, "mr-hip-contrast", "36490-1", "73721", HipJoint, Right);
        Assert.That(card.Detail, Does.Contain("gadolinium"));
    }

    [Test]
    public void X12_osteonecrosis_of_the_left_hip_is_a_risk_factor_for_right_hip_pain()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X12"), "osteonecrosis-risk", CardIndicator.Warning);
        CardAssert.Replaces(card, "ct-hip-right", "36486-9", "72195", HipJoint, Both);
        Assert.Multiple(() =>
        {
            Assert.That(card.Detail, Does.Contain("osteonecrosis of the other hip"));
            Assert.That(card.Detail, Does.Contain("`replace-with-mri`"));
        });
    }

    [Test]
    public void X13_order_sign_judges_every_imaging_draft_and_cards_only_the_hip_ct()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X13"), "replace-with-mri", CardIndicator.Warning);
        CardAssert.Replaces(card, "ct-hip-left", "36488-5", "73721", HipJoint, Left);
    }

    [Test]
    public void X14_patient_view_without_joint_pain_gets_no_card() =>
        Assert.That(Fixtures.Evaluate("X14"), Is.Empty);

    [Test]
    public void X15_patient_view_with_left_knee_pain_and_normal_xray_proposes_left_knee_mri()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X15"), "mri-recommended", CardIndicator.Info);
        CardAssert.Mri(card.Suggestions.Single().Actions.Single().Resource, "36508-0", "73721", RequestIntent.Proposal, KneeJoint, Left);
    }

    [Test]
    public void X16_fifteen_year_old_gets_no_card() =>
        Assert.That(Fixtures.Evaluate("X16"), Is.Empty);

    [Test]
    public void X17_artificial_left_hip_silences_left_hip_ct() =>
        Assert.That(Fixtures.Evaluate("X17"), Is.Empty);

    [Test]
    public void X18_marrow_edema_mri_on_prednisone_and_a_bone_scan_order_gets_early_osteonecrosis_not_excluded()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X18"), "early-osteonecrosis-not-excluded", CardIndicator.Warning);
        CardAssert.Replaces(card, "bone-scan", "36486-9", "72195", HipJoint, Both);
        Assert.That(card.Detail, Does.Contain("prednisone"));
    }

    [Test]
    public void X19_order_known_only_by_text_mr_hip_lt_wo_plus_w_gets_mri_without_contrast()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X19"), "mri-without-contrast", CardIndicator.Info);
        CardAssert.Replaces(card, "mr-hip-text", "36488-5", "73721", HipJoint, Left);
    }

    [Test]
    public void X20_first_hip_xray_with_sickle_cell_disease_gets_osteonecrosis_risk_without_suggestion()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X20"), "osteonecrosis-risk", CardIndicator.Warning);
        Assert.Multiple(() =>
        {
            Assert.That(card.Suggestions, Is.Empty);
            Assert.That(card.Summary, Does.Contain("if this X-ray is normal"));
        });
    }

    [Test]
    public void X21_coded_mri_osteonecrosis_observation_gets_osteonecrosis_findings()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X21"), "osteonecrosis-findings", CardIndicator.Warning);
        Assert.That(card.Suggestions, Has.Count.EqualTo(2));
        var condition = (Condition)card.Suggestions[0].Actions.Single().Resource!;
        Assert.That(CardAssert.BodySiteCodes(condition.BodySite), Is.EqualTo(new[] { HipJoint, Right }));
    }

    [Test]
    public void X22_entered_in_error_xray_report_is_no_normal_xray() =>
        Assert.That(Fixtures.Evaluate("X22"), Is.Empty);

    [Test]
    public void X23_wbc_13_2_thousand_per_microlitre_is_high_and_silences() =>
        Assert.That(Fixtures.Evaluate("X23"), Is.Empty);

    [Test]
    public void X24_woman_with_esr_25_is_below_the_female_default_and_gets_the_card()
    {
        var card = CardAssert.Single(Fixtures.Evaluate("X24"), "replace-with-mri", CardIndicator.Warning);
        Assert.That(card.Detail, Does.Contain("ESR 25 mm/h"));
    }

    [Test]
    public void X25_temperature_101_3_fahrenheit_is_fever_and_silences() =>
        Assert.That(Fixtures.Evaluate("X25"), Is.Empty);

    [Test]
    public void Every_sample_request_file_evaluates_without_read_issues()
    {
        foreach (var file in Fixtures.CaseFiles())
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
            var prefetch = document.RootElement.GetProperty("prefetch").EnumerateObject()
                .Where(property => property.Value.ValueKind != System.Text.Json.JsonValueKind.Null)
                .Select(property => property.Value.GetRawText()).ToArray();
            var result = Fixtures.ReadRecord(prefetch);
            Assert.That(result.Tolerated, Is.Empty, Path.GetFileName(file));
            Assert.That(result.Record!.Patient, Is.Not.Null, Path.GetFileName(file));
        }
    }
}
