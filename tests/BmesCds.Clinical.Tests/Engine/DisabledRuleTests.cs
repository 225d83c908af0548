using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Tests.Support;

namespace BmesCds.Clinical.Tests.Engine;

/// <summary>Rules:Disabled: a rule switched off at a site is never run, so it neither makes nor joins a card.</summary>
public class DisabledRuleTests
{
    private static Evaluation Judge(string prefix, params string[] disabled) =>
        new BmesEngine(Fixtures.Terminology, new ClinicalOptions().DisableRules(disabled)).Judge(Fixtures.LoadCase(prefix));

    [Test]
    public void C1_with_replace_with_mri_switched_off_has_no_card_and_says_why()
    {
        var evaluation = Judge("C1", "replace-with-mri");

        Assert.That(evaluation.Cards, Is.Empty);
        Assert.That(evaluation.Judgements.Single().Rules.Single(rule => rule.RuleId == "replace-with-mri").Why, Does.Contain("Rules:Disabled"));
    }

    [Test]
    public void C7_with_mri_without_contrast_switched_off_keeps_the_osteonecrosis_card_without_the_merged_rule()
    {
        var card = Judge("C7", "mri-without-contrast").Cards.Single();

        Assert.That(card.FiredRuleIds, Is.EqualTo(new[] { "osteonecrosis-risk" }));
    }

    [Test]
    public void C7_with_osteonecrosis_risk_switched_off_gets_the_contrast_card_alone()
    {
        var card = Judge("C7", "osteonecrosis-risk").Cards.Single();

        Assert.That((card.RuleId, card.FiredRuleIds.Count), Is.EqualTo(("mri-without-contrast", 1)));
    }
}
