using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;
using static BmesCds.Clinical.Tests.Support.Make;

namespace BmesCds.Clinical.Tests.Version2;

/// <summary>
/// C2: an X-ray, MRI or report of a joint whose side is recorded nowhere counts for either side of that joint, and the
/// card says the side was not recorded; a Condition's side works the same way.
/// </summary>
public class C2UnknownSideTests
{
    private static DiagnosticReport UnsidedNormalHipXray() => Report("24762-7", 20, "Normal hip.", "168661005");

    [TestCase(Side.Left)]
    [TestCase(Side.Right)]
    public void Unsided_hip_xray_counts_for_either_hip_and_says_its_side_was_not_recorded(Side side)
    {
        var findings = FindingsOf.At(Joint.Hip, side, UnsidedNormalHipXray());
        Assert.Multiple(() =>
        {
            Assert.That(findings.Xray, Is.EqualTo(XrayResult.Normal));
            Assert.That(findings.XrayEvidence!.Display, Does.EndWith("side not recorded"));
        });
    }

    [Test]
    public void Unsided_mri_counts_as_recent_for_either_hip_and_says_so()
    {
        var mri = Report("30687-8", 10, "Normal MRI.");
        Assert.That(FindingsOf.At(Joint.Hip, Side.Right, mri).MriRecent.Single().Display, Does.Contain("side not recorded"));
        Assert.That(FindingsOf.At(Joint.Hip, Side.Left, mri).MriRecent, Is.Not.Empty);
    }

    [Test]
    public void A_sided_record_does_not_say_it()
    {
        var findings = FindingsOf.LeftHip(LeftHipPain(), NormalLeftHipXray());
        Assert.That(findings.XrayEvidence!.Display + findings.Pain.Single().Display, Does.Not.Contain("side not recorded"));
    }

    [Test]
    public void Condition_without_a_side_counts_for_either_side_and_says_so()
    {
        var pain = Condition(Snomed, "49218002", 30);
        var right = FindingsOf.At(Joint.Hip, Side.Right, pain);
        Assert.Multiple(() =>
        {
            Assert.That(right.Pain.Single().Display, Is.EqualTo("49218002 (49218002), side not recorded"));
            Assert.That(FindingsOf.LeftHip(pain).Pain, Has.Count.EqualTo(1));
            Assert.That(FindingsOf.LeftHip(Condition(Icd, "M87.059")).OsteonecrosisDiagnosis.Single().Display, Does.EndWith("side not recorded"));
        });
    }

    [Test]
    public void Card_for_a_ct_after_an_unsided_normal_xray_says_the_side_was_not_recorded()
    {
        var cards = Evaluate(OrderSelect(CtLeftHip(), Patient(), LeftHipPain(), UnsidedNormalHipXray()));
        var card = CardAssert.Single(cards, "replace-with-mri", CardIndicator.Warning);
        Assert.That(card.Detail, Does.Contain("X-ray, normal: 24762-7: Plain X-ray of hip joint normal, side not recorded"));
    }
}
