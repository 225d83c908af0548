using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;
using static BmesCds.Clinical.Tests.Support.Make;

namespace BmesCds.Clinical.Tests.Rules;

/// <summary>Each silence of section 5 on its own, against a left hip CT after a normal X-ray that otherwise gets a card.</summary>
public class SilenceAndRuleTests
{
    private static IReadOnlyList<CardDraft> CtAfterNormalXray(Patient? patient, params Resource[] more) =>
        Evaluate(OrderSelect(CtLeftHip(), patient, [LeftHipPain(), NormalLeftHipXray(), .. more]));

    [Test]
    public void Baseline_left_hip_ct_after_normal_xray_gets_a_card() =>
        Assert.That(CtAfterNormalXray(Patient()), Has.Count.EqualTo(1));

    [Test]
    public void Seventeen_year_old_is_silent() => Assert.That(CtAfterNormalXray(Patient(age: 17)), Is.Empty);

    [Test]
    public void Unknown_birth_date_is_treated_as_adult() => Assert.That(CtAfterNormalXray(null), Has.Count.EqualTo(1));

    [Test]
    public void No_pain_at_that_joint_is_silent() =>
        Assert.That(Evaluate(OrderSelect(CtLeftHip(), Patient(), Condition(Icd, "M25.562"), NormalLeftHipXray())), Is.Empty);

    [Test]
    public void Artificial_left_hip_is_silent_and_artificial_right_hip_is_not()
    {
        Assert.That(CtAfterNormalXray(Patient(), Condition(Icd, "Z96.642", 900)), Is.Empty);
        Assert.That(CtAfterNormalXray(Patient(), Condition(Icd, "Z96.641", 900)), Has.Count.EqualTo(1));
    }

    [Test]
    public void Infective_arthritis_is_silent() =>
        Assert.That(CtAfterNormalXray(Patient(), Condition(Snomed, "396234004", 5)), Is.Empty);

    [Test]
    public void Bone_malignancy_is_silent() =>
        Assert.That(CtAfterNormalXray(Patient(), Condition(Icd, "C79.51", 200)), Is.Empty);

    [Test]
    public void First_knee_xray_is_silent()
    {
        var order = Order("xr", Loinc, "30788-4");
        Assert.That(Evaluate(OrderSelect(order, Patient(), Condition(Icd, "M25.562"))), Is.Empty);
    }

    [Test]
    public void First_hip_xray_of_a_pregnant_woman_is_not_silent()
    {
        var order = Order("xr", Loinc, "26131-3");
        var cards = Evaluate(OrderSelect(order, Patient("female", 30), LeftHipPain(), Condition(Snomed, "77386006", 200)));
        Assert.That(cards.Single().RuleId, Is.EqualTo("pregnancy-avoid-ionizing"));
    }

    [Test]
    public void Known_osteonecrosis_with_a_follow_up_mri_order_is_silent()
    {
        var order = Order("mr", Loinc, "30688-6");
        Assert.That(Evaluate(OrderSelect(order, Patient(), LeftHipPain(), Condition(Icd, "M87.052", 300))), Is.Empty);
    }

    [Test]
    public void Mri_with_contrast_for_knee_pain_gets_info_to_drop_contrast()
    {
        var order = Order("mr", Cpt, "73722", Site("49076000"), Site("7771000"));
        var card = Evaluate(OrderSelect(order, Patient(), Condition(Icd, "M25.562"))).Single();
        Assert.That((card.RuleId, card.Indicator), Is.EqualTo(("mri-without-contrast", CardIndicator.Info)));
    }

    [Test]
    public void Ct_of_the_knee_after_normal_xray_is_info_not_warning()
    {
        var order = Order("ct", Loinc, "36507-2");
        var card = Evaluate(OrderSelect(order, Patient(), Condition(Icd, "M25.562"), Report("30788-4", 10, conclusionCode: "168667009"))).Single();
        Assert.That((card.RuleId, card.Indicator), Is.EqualTo(("replace-with-mri", CardIndicator.Info)));
    }

    [Test]
    public void Repeat_hip_xray_more_than_42_days_after_the_normal_one_gets_no_card()
    {
        var order = Order("xr", Loinc, "26131-3");
        Assert.That(Evaluate(OrderSelect(order, Patient(), LeftHipPain(80), NormalLeftHipXray(60))), Is.Empty);
    }

    [Test]
    public void Pacemaker_with_osteonecrosis_risk_keeps_the_warning_but_loses_the_mri_suggestion()
    {
        var card = CtAfterNormalXray(Patient(), Condition(Icd, "Z95.0", 900), Condition(Icd, "D57.1", 900)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(card.RuleId, Is.EqualTo("osteonecrosis-risk"));
            Assert.That(card.Indicator, Is.EqualTo(CardIndicator.Warning));
            Assert.That(card.Suggestions, Is.Empty);
        });
    }

    [Test]
    public void Patient_view_pain_shorter_than_two_weeks_gets_no_mri_recommendation() =>
        Assert.That(Evaluate(PatientView(Patient(), LeftHipPain(10), NormalLeftHipXray(5))), Is.Empty);

    [Test]
    public void Patient_view_with_an_active_hip_order_on_record_leaves_the_hip_to_the_order_hooks()
    {
        var order = CtLeftHip();
        order.Status = RequestStatus.Active;
        Assert.That(Evaluate(PatientView(Patient(), LeftHipPain(), NormalLeftHipXray(), order)), Is.Empty);
    }

    [Test]
    public void Order_sign_with_hip_ct_and_contrast_hip_mri_cards_only_the_mri_because_an_mri_is_already_ordered()
    {
        var ct = CtLeftHip();
        var mri = Order("mr", Loinc, "30688-6");
        var cards = Evaluate(OrderSign([ct, mri], Patient(), LeftHipPain(), NormalLeftHipXray()));
        Assert.That(cards.Select(card => card.RuleId), Is.EqualTo(new[] { "mri-without-contrast" }));
    }

    [Test]
    public void Order_sign_gives_one_card_per_judged_order()
    {
        var ct = CtLeftHip();
        var knee = Order("knee-mr", Cpt, "73722", Site("49076000"), Site("7771000"));
        var cards = Evaluate(OrderSign([ct, knee], Patient(), LeftHipPain(), NormalLeftHipXray(), Condition(Icd, "M25.562")));
        Assert.That(cards.Select(card => card.RuleId), Is.EqualTo(new[] { "replace-with-mri", "mri-without-contrast" }));
    }

    [Test]
    public void Order_select_judges_only_the_selection()
    {
        var ct = CtLeftHip();
        var mri = Order("mr", Loinc, "30688-6");
        var request = OrderSelect(mri, Patient(), LeftHipPain(), NormalLeftHipXray()) with { DraftOrders = [ct, mri] };
        Assert.That(Evaluate(request).Select(card => card.RuleId), Is.EqualTo(new[] { "mri-without-contrast" }));
    }

    [Test]
    public void Same_facts_give_the_same_cards()
    {
        var first = CardDump.Describe(CtAfterNormalXray(Patient()).Single());
        var second = CardDump.Describe(CtAfterNormalXray(Patient()).Single());
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Guideline_links_come_from_configuration()
    {
        var options = new ClinicalOptions();
        options.GuidelineLinks["replace-with-mri"] = [new GuidelineLink("Local pathway", "https://example.org/pathway")];
        var card = Fixtures.Engine(options).Evaluate(OrderSelect(CtLeftHip(), Patient(), LeftHipPain(), NormalLeftHipXray())).Single();
        Assert.That(card.Links.Select(link => link.Url.AbsoluteUri), Is.EqualTo(new[] { "https://example.org/pathway" }));
    }

    [Test]
    public void Windows_are_configuration()
    {
        var options = new ClinicalOptions { XrayWindowDays = 10 };
        Assert.That(Fixtures.Engine(options).Evaluate(OrderSelect(CtLeftHip(), Patient(), LeftHipPain(), NormalLeftHipXray(20))), Is.Empty);
    }
}
