using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Tests.Support;

namespace BmesCds.Clinical.Tests.Engine;

/// <summary>
/// The engine's explanation: for every order or joint it looked at, the silence or the verdict of each rule, the
/// findings it used, and the card it made. Checked on worked cases whose reasoning the specification states.
/// </summary>
public class JudgementTests
{
    private static Evaluation Judge(string prefix) => Fixtures.Engine().Judge(Fixtures.LoadCase(prefix));

    [Test]
    public void C1_card_carries_its_subject_and_the_rules_that_fired_and_the_judgement_explains_each_rule()
    {
        var evaluation = Judge("C1");
        var judgement = evaluation.Judgements.Single();
        var card = evaluation.Cards.Single();
        Assert.Multiple(() =>
        {
            Assert.That(judgement.Card, Is.SameAs(card));
            Assert.That(judgement.Silence, Is.Null);
            Assert.That(card.Subject, Is.EqualTo(new JudgedSubject(Joint.Hip, Side.Left, "ServiceRequest/ct-hip-left", card.Subject.OrderClass)));
            Assert.That(card.Subject.OrderClass!.Modality, Is.EqualTo(Modality.CT));
            Assert.That(card.FiredRuleIds, Is.EqualTo(new[] { "replace-with-mri" }));
            Assert.That(judgement.Rules.Select(rule => rule.RuleId), Is.EqualTo(new[]
            {
                "osteonecrosis-findings", "early-osteonecrosis-not-excluded", "osteonecrosis-risk", "pregnancy-avoid-ionizing",
                "replace-with-mri", "mri-without-contrast",
            }));
            Assert.That(judgement.Rules.Where(rule => rule.Fired).Select(rule => rule.RuleId), Is.EqualTo(new[] { "replace-with-mri" }));
            Assert.That(judgement.Rules.Single(rule => rule.RuleId == "mri-without-contrast").Why, Does.StartWith("did not fire"));
            Assert.That(judgement.Findings.Select(finding => finding.Name), Does.Contain("PAIN").And.Contain("XR_NORMAL").And.Contain("LABS_NORMAL"));
        });
    }

    [Test]
    public void C7_merged_card_lists_both_rules_highest_priority_first()
    {
        var card = Judge("C7").Cards.Single();
        Assert.That(card.FiredRuleIds, Is.EqualTo(new[] { "osteonecrosis-risk", "mri-without-contrast" }));
    }

    [Test]
    public void C2_first_hip_xray_is_silent_for_the_first_xray_reason_and_only_osteonecrosis_risk_ran()
    {
        var judgement = Judge("C2").Judgements.Single();
        Assert.Multiple(() =>
        {
            Assert.That(judgement.Card, Is.Null);
            Assert.That(judgement.Silence!.Reason, Is.EqualTo(SilenceReason.FirstXray));
            Assert.That(judgement.Silence.Code, Is.EqualTo("first-xray"));
            Assert.That(judgement.Rules.Single(rule => rule.RuleId == "osteonecrosis-risk").Why, Does.StartWith("did not fire"));
            Assert.That(judgement.Rules.Single(rule => rule.RuleId == "replace-with-mri").Why, Does.StartWith("not run"));
        });
    }

    [Test]
    public void C5_infection_red_flag_silences_before_any_rule_runs()
    {
        var judgement = Judge("C5").Judgements.Single();
        Assert.Multiple(() =>
        {
            Assert.That(judgement.Silence!.Reason, Is.EqualTo(SilenceReason.Inflammation));
            Assert.That(judgement.Rules, Is.Empty);
            Assert.That(judgement.Findings.Select(finding => finding.Name), Does.Contain("INFLAMMATION"));
        });
    }

    [Test]
    public void C4_mri_already_ordered_is_silent_because_no_rule_fired_and_the_other_draft_is_not_judged()
    {
        var evaluation = Judge("C4");
        Assert.Multiple(() =>
        {
            Assert.That(evaluation.Cards, Is.Empty);
            Assert.That(evaluation.Judgements.Single().Silence!.Reason, Is.EqualTo(SilenceReason.NoRuleFired));
            Assert.That(evaluation.Judgements.Single().Findings.Select(finding => finding.Name), Does.Contain("MRI_RECENT"));
        });
    }

    [Test]
    public void A_selection_that_names_no_draft_order_is_reported_not_found()
    {
        var request = Fixtures.LoadCase("C1");
        request = request with { Context = request.Context with { Selections = ["ServiceRequest/not-there"] } };
        var judgement = Fixtures.Engine().Judge(request).Judgements.Single();
        Assert.Multiple(() =>
        {
            Assert.That(judgement.Silence!.Reason, Is.EqualTo(SilenceReason.SelectionNotFound));
            Assert.That(judgement.Subject.OrderReference, Is.EqualTo("ServiceRequest/not-there"));
        });
    }
}
