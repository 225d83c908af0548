using System.Reflection;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Tests.Cases;

/// <summary>
/// The cases of contract version 2 (BMES-RULES.md 7a), read from samples/cases/V2-*.request.json: one test per case,
/// named after it, with the exact cards expected (or none). The host's golden files hold the same answers as JSON.
/// </summary>
public class Version2CaseTests
{
    private const string HipJoint = "24136001";
    private const string Left = "7771000";
    private const string Right = "24028007";
    private const string Both = "51440002";

    private static IReadOnlyList<CardDraft> Case(string name) => Fixtures.EvaluateCase(name);

    private static CardDraft ReplacesCtWithLeftHipMri(string name)
    {
        var card = CardAssert.Single(Case(name), "replace-with-mri", CardIndicator.Warning);
        CardAssert.Replaces(card, "ct-hip-left", "36488-5", "73721", HipJoint, Left);
        return card;
    }

    private static CardDraft ReplacesCtWithMriOfBothHips(string name)
    {
        var card = CardAssert.Single(Case(name), "osteonecrosis-risk", CardIndicator.Warning);
        CardAssert.Replaces(card, "ct-hip-left", "36486-9", "72195", HipJoint, Both);
        return card;
    }

    private static CardDraft ProposesMriOfBothHips(string name, string rule)
    {
        var card = CardAssert.Single(Case(name), rule, CardIndicator.Warning);
        CardAssert.Mri(card.Suggestions.Single().Actions.Single().Resource, "36486-9", "72195", RequestIntent.Proposal, HipJoint, Both);
        return card;
    }

    private static void OsteonecrosisFindings(string name, string side)
    {
        var card = CardAssert.Single(Case(name), "osteonecrosis-findings", CardIndicator.Warning);
        Assert.That(card.Suggestions, Has.Count.EqualTo(2));
        var condition = (Condition)card.Suggestions[0].Actions.Single().Resource!;
        Assert.Multiple(() =>
        {
            Assert.That(condition.Code!.Coding.Single().Code, Is.EqualTo("444849002"));
            Assert.That(condition.VerificationStatus!.Coding.Single().Code, Is.EqualTo("provisional"));
            Assert.That(CardAssert.BodySiteCodes(condition.BodySite), Is.EqualTo(new[] { HipJoint, side }));
        });
        CardAssert.Mri(card.Suggestions[1].Actions.Single().Resource, "36486-9", "72195", RequestIntent.Proposal, HipJoint, Both);
    }

    // --- C1 ---
    [Test]
    public void V2_C1_normal_xray_exactly_90_days_ago_counts_so_the_ct_gets_replace_with_mri() =>
        Assert.That(ReplacesCtWithLeftHipMri("V2-C1-normal-xray-exactly-90-days-ago-counts").Detail, Does.Contain("Plain X-ray of hip joint normal, 2026-08-30"));

    [Test]
    public void V2_C1_normal_xray_91_days_ago_does_not_count_and_gets_no_card() =>
        Assert.That(Case("V2-C1-normal-xray-91-days-ago-does-not-count"), Is.Empty);

    [Test]
    public void V2_C1_xray_dated_only_to_the_month_counts_from_its_first_day_and_gets_replace_with_mri() =>
        Assert.That(ReplacesCtWithLeftHipMri("V2-C1-xray-dated-only-to-the-month-counts-from-its-first-day").Detail, Does.Contain("2026-09-01"));

    [Test]
    public void V2_C1_mri_exactly_42_days_ago_is_recent_no_proposal() =>
        Assert.That(Case("V2-C1-mri-exactly-42-days-ago-is-recent-no-proposal"), Is.Empty);

    [Test]
    public void V2_C1_high_crp_exactly_30_days_ago_silences() =>
        Assert.That(Case("V2-C1-high-crp-exactly-30-days-ago-silences"), Is.Empty);

    [Test]
    public void V2_C1_fever_on_the_7th_utc_day_silences() =>
        Assert.That(Case("V2-C1-fever-on-the-7th-utc-day-silences"), Is.Empty);

    // --- C2 ---
    [Test]
    public void V2_C2_unsided_normal_hip_xray_counts_for_the_left_hip_and_the_card_says_its_side_was_not_recorded() =>
        Assert.That(ReplacesCtWithLeftHipMri("V2-C2-unsided-normal-hip-xray-counts-for-the-left-hip").Detail,
            Does.Contain("X-ray, normal: XR Hip Views: Plain X-ray of hip joint normal, side not recorded"));

    [Test]
    public void V2_C2_unsided_hip_pain_gets_mri_proposal_of_the_hip_saying_no_side_was_recorded()
    {
        var card = CardAssert.Single(Case("V2-C2-unsided-hip-pain-gets-mri-proposal-of-the-hip"), "mri-recommended", CardIndicator.Info);
        CardAssert.Mri(card.Suggestions.Single().Actions.Single().Resource, "30687-8", "73721", RequestIntent.Proposal, HipJoint);
        Assert.That(card.Detail, Does.Contain("Pain of hip region (49218002), side not recorded"));
    }

    [Test]
    public void V2_C2_unsided_mri_order_counts_for_the_right_hip_no_card() =>
        Assert.That(Case("V2-C2-unsided-mri-order-counts-for-the-right-hip-no-card"), Is.Empty);

    [Test]
    public void V2_C2_unsided_femur_osteonecrosis_counts_for_the_right_hip_no_card() =>
        Assert.That(Case("V2-C2-unsided-femur-osteonecrosis-counts-for-the-right-hip-no-card"), Is.Empty);

    // --- C3 ---
    [Test]
    public void V2_C3_shoulder_osteonecrosis_and_sickle_cell_ct_left_hip_gets_osteonecrosis_risk_replacing_with_mri_of_both_hips() =>
        Assert.That(ReplacesCtWithMriOfBothHips("V2-C3-shoulder-osteonecrosis-and-sickle-cell-ct-left-hip-gets-osteonecrosis-risk").Detail,
            Does.Contain("sickle cell disease").And.Contain("osteonecrosis of another joint (multifocal): Avascular necrosis of bone (397758007), Shoulder region structure"));

    [Test]
    public void V2_C3_right_knee_osteonecrosis_is_a_risk_factor_for_the_painful_left_hip_proposing_mri_of_both_hips() =>
        Assert.That(ProposesMriOfBothHips("V2-C3-right-knee-osteonecrosis-is-a-risk-factor-for-the-painful-left-hip", "osteonecrosis-risk").Detail,
            Does.Contain("Avascular necrosis of bone (397758007), knee"));

    [Test]
    public void V2_C3_shoulder_joint_pain_is_no_hip_pain_no_card() =>
        Assert.That(Case("V2-C3-shoulder-joint-pain-is-no-hip-pain-no-card"), Is.Empty);

    [Test]
    public void V2_C3_osteonecrosis_without_site_counts_at_the_knee_no_card() =>
        Assert.That(Case("V2-C3-osteonecrosis-without-site-counts-at-the-knee-no-card"), Is.Empty);

    // --- C4 ---
    [Test]
    public void V2_C4_xray_coded_abnormal_with_crescent_sign_text_gets_osteonecrosis_findings_for_the_left_hip() =>
        OsteonecrosisFindings("V2-C4-xray-coded-abnormal-with-crescent-sign-text-gets-osteonecrosis-findings", Left);

    [Test]
    public void V2_C4_normal_xray_in_plain_text_presented_form_gets_replace_with_mri() =>
        Assert.That(ReplacesCtWithLeftHipMri("V2-C4-normal-xray-in-plain-text-presented-form").Detail, Does.Contain("\"Normal left hip. No fracture.\""));

    [Test]
    public void V2_C4_crescent_sign_in_html_presented_form_gets_osteonecrosis_findings_for_the_right_hip() =>
        OsteonecrosisFindings("V2-C4-crescent-sign-in-html-presented-form-gets-osteonecrosis-findings", Right);

    [Test]
    public void V2_C4_marrow_edema_in_imaging_observation_text_with_prednisone_gets_early_osteonecrosis_not_excluded() =>
        Assert.That(ProposesMriOfBothHips("V2-C4-marrow-edema-in-imaging-observation-text-with-prednisone", "early-osteonecrosis-not-excluded").Detail,
            Does.Contain("MRI result (bone marrow edema pattern)").And.Contain("systemic glucocorticoids: prednisone"));

    [Test]
    public void V2_C4_query_avn_in_the_clinical_history_is_not_a_finding_and_the_ct_gets_replace_with_mri() =>
        Assert.That(ReplacesCtWithLeftHipMri("V2-C4-query-avn-in-the-clinical-history-is-not-a-finding").Detail, Does.Not.Contain("?AVN"));

    // --- C5 ---
    [Test]
    public void V2_C5_negated_on_3T_mri_left_hip_no_card() =>
        Assert.That(Case("V2-C5-negated-on-3T-mri-left-hip-no-card"), Is.Empty);

    [Test]
    public void V2_C5_hard_wrapped_negation_in_a_normal_xray_report_gets_replace_with_mri() =>
        ReplacesCtWithLeftHipMri("V2-C5-hard-wrapped-negation-in-a-normal-xray-report");

    [Test]
    public void V2_C5_eg_abbreviation_keeps_the_negation_and_the_ct_gets_replace_with_mri() =>
        ReplacesCtWithLeftHipMri("V2-C5-eg-abbreviation-keeps-the-negation");

    [Test]
    public void V2_C5_osteonecrosis_is_not_seen_after_the_finding_and_the_ct_gets_replace_with_mri() =>
        ReplacesCtWithLeftHipMri("V2-C5-osteonecrosis-is-not-seen-after-the-finding");

    [Test]
    public void V2_C5_early_osteonecrosis_cannot_be_excluded_on_right_hip_mri_gets_osteonecrosis_findings() =>
        OsteonecrosisFindings("V2-C5-early-osteonecrosis-cannot-be-excluded-on-right-hip-mri", Right);

    [Test]
    public void V2_C5_avn_none_in_a_numbered_impression_with_steroids_gets_early_osteonecrosis_not_excluded() =>
        Assert.That(ProposesMriOfBothHips("V2-C5-avn-none-in-a-numbered-impression-with-steroids", "early-osteonecrosis-not-excluded").Detail,
            Does.Not.Contain("Osteonecrosis features on imaging"));

    // --- C6 ---
    [Test]
    public void V2_C6_prednisone_medication_statement_ct_left_hip_gets_osteonecrosis_risk() =>
        Assert.That(ReplacesCtWithMriOfBothHips("V2-C6-prednisone-medication-statement-ct-left-hip-gets-osteonecrosis-risk").Detail,
            Does.Contain("systemic glucocorticoids: prednisone"));

    [Test]
    public void V2_C6_medication_reference_to_included_prednisone_gets_osteonecrosis_risk() =>
        Assert.That(ReplacesCtWithMriOfBothHips("V2-C6-medication-reference-to-included-prednisone-gets-osteonecrosis-risk").Detail,
            Does.Contain("systemic glucocorticoids: predniSONE 20 MG Oral Tablet"));

    [Test]
    public void V2_C6_contained_methylprednisolone_administration_gets_osteonecrosis_risk() =>
        Assert.That(ProposesMriOfBothHips("V2-C6-contained-methylprednisolone-administration-gets-osteonecrosis-risk", "osteonecrosis-risk").Detail,
            Does.Contain("systemic glucocorticoids: methylprednisolone"));

    [Test]
    public void V2_C6_intra_articular_steroid_injection_is_not_systemic_and_the_ct_gets_replace_with_mri() =>
        Assert.That(ReplacesCtWithLeftHipMri("V2-C6-intra-articular-steroid-injection-is-not-systemic").Detail, Does.Not.Contain("glucocorticoid"));

    [Test]
    public void V2_C6_medication_reference_to_ibuprofen_is_no_risk_and_the_ct_gets_replace_with_mri() =>
        Assert.That(ReplacesCtWithLeftHipMri("V2-C6-medication-reference-to-ibuprofen-is-no-risk").Detail, Does.Not.Contain("risk factor"));

    // --- C7 ---
    [Test]
    public void V2_C7_crp_in_mg_percent_is_not_understood_and_named_on_the_replace_with_mri_card()
    {
        var card = ReplacesCtWithLeftHipMri("V2-C7-crp-in-mg-percent-is-not-understood-and-named");
        Assert.That(card.Detail, Does.Contain("Could not be read, not counted: CRP 4.5 mg%, 2026-11-22: unit 'mg%' not understood").And.Not.Contain("Labs, not raised"));
    }

    [Test]
    public void V2_C7_unresolvable_medication_reference_is_named_on_the_replace_with_mri_card() =>
        Assert.That(ReplacesCtWithLeftHipMri("V2-C7-unresolvable-medication-reference-is-named").Detail,
            Does.Contain("MedicationRequest, 2026-10-29: its drug could not be identified"));

    [Test]
    public void Every_version_2_case_has_a_test_named_after_it()
    {
        var tests = typeof(Version2CaseTests).GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(method => method.Name).ToList();
        var cases = Fixtures.CaseFiles().Select(Path.GetFileName).OfType<string>().Where(name => name.StartsWith("V2-", StringComparison.Ordinal))
            .Select(name => name[..^".request.json".Length].Replace('-', '_')).ToList();
        Assert.That(cases, Has.Count.GreaterThanOrEqualTo(25));
        Assert.That(cases.Where(name => !tests.Exists(test => test.StartsWith(name, StringComparison.Ordinal))), Is.Empty, "cases without a test named after them");
    }
}
