using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;
using static BmesCds.Clinical.Tests.Support.Make;

namespace BmesCds.Clinical.Tests.Version2;

/// <summary>
/// C7: when a rule's facts cannot be read (an unparsable date, a value with an unknown unit), the fact is absent and
/// the card says what could not be read; a lab with an unknown unit never counts as "not raised". Malformed literals
/// are read the way the hook pipeline reads prefetch (walk, relevance, lenient POCO reading), which keeps them as text.
/// </summary>
public class C7UnreadableTests
{
    private static Resource Lenient(string json) => Fixtures.ReadRecord(json).Record!.Resources.Single();

    [Test]
    public void Lab_with_an_unknown_unit_is_neither_raised_nor_not_raised_and_is_named()
    {
        var findings = FindingsOf.LeftHip(Lab("1988-5", 3, "mg/xx"), Lab("4537-7", 8, "mm/h"));
        Assert.Multiple(() =>
        {
            Assert.That(findings.Inflammation, Is.Empty);
            Assert.That(findings.LabsNormal, Is.Empty, "an unreadable CRP must not support 'labs normal'");
            Assert.That(findings.Unreadable.Single(), Does.StartWith("CRP 3 mg/xx, 2026-11-23").And.EndWith("unit 'mg/xx' not understood"));
        });
    }

    [Test]
    public void Lab_with_an_unknown_unit_flagged_normal_by_the_lab_is_still_not_counted_as_not_raised() =>
        Assert.That(FindingsOf.LeftHip(Lab("1988-5", 3, "mg/xx", interpretation: "N"), Lab("4537-7", 8, "mm/h")).LabsNormal, Is.Empty);

    [Test]
    public void Lab_with_an_unknown_unit_flagged_high_by_the_lab_is_raised() =>
        Assert.That(FindingsOf.LeftHip(Lab("1988-5", 30, "mg/xx", interpretation: "H")).Inflammation, Has.Count.EqualTo(1));

    [Test]
    public void Lab_value_that_is_not_a_number_is_named_and_does_not_stop_the_engine()
    {
        var crp = Lenient("""{"resourceType":"Observation","id":"crp","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"1988-5"}]},"effectiveDateTime":"2026-11-20","valueQuantity":{"value":"abc","unit":"mg/L"}}""");
        var findings = FindingsOf.LeftHip(crp);
        Assert.That(findings.Unreadable.Single(), Does.Contain("its value could not be read"));
    }

    [Test]
    public void Xray_with_an_unparsable_date_is_left_out_and_named()
    {
        var xray = Lenient("""{"resourceType":"DiagnosticReport","id":"xr","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"26131-3","display":"XR Hip - left Views"}]},"effectiveDateTime":"2026-13-45","issued":"garbage","conclusionCode":[{"coding":[{"system":"http://snomed.info/sct","code":"168661005"}]}]}""");
        var findings = FindingsOf.LeftHip(xray);
        Assert.Multiple(() =>
        {
            Assert.That(findings.XrayDone, Is.False);
            Assert.That(findings.Unreadable.Single(), Is.EqualTo("XR Hip - left Views: its date could not be read"));
        });
    }

    [Test]
    public void Report_text_that_is_not_base64_is_named()
    {
        var xray = Lenient($$"""{"resourceType":"DiagnosticReport","id":"xr","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"26131-3","display":"XR Hip - left Views"}]},"effectiveDateTime":"{{Day(10)}}","presentedForm":[{"contentType":"text/plain","data":"!!not base64"}]}""");
        Assert.That(FindingsOf.LeftHip(xray).Unreadable.Single(), Is.EqualTo("XR Hip - left Views: its report text could not be read"));
    }

    [Test]
    public void Pain_with_an_unparsable_onset_is_still_pain_and_its_onset_is_named()
    {
        var pain = (Condition)Lenient("""{"resourceType":"Condition","id":"pain","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M25.552","display":"Pain in left hip"}]},"onsetDateTime":"last spring"}""");
        var findings = FindingsOf.LeftHip(pain);
        Assert.Multiple(() =>
        {
            Assert.That(findings.Pain, Has.Count.EqualTo(1));
            Assert.That(findings.PainOnset, Is.Null);
            Assert.That(findings.Unreadable.Single(), Is.EqualTo("Pain in left hip (M25.552): its onset could not be read"));
        });
    }

    [Test]
    public void Medication_whose_drug_cannot_be_identified_is_named_for_the_hip_only()
    {
        var request = new MedicationRequest
        {
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Medication = new ResourceReference("Medication/missing"),
            AuthoredOn = Day(30),
        };
        Assert.Multiple(() =>
        {
            Assert.That(FindingsOf.LeftHip(request).Unreadable.Single(), Does.StartWith("MedicationRequest, 2026-10-29: its drug could not be identified"));
            Assert.That(FindingsOf.At(Joint.Knee, Side.Left, request).Unreadable, Is.Empty);
        });
    }

    [Test]
    public void Card_says_what_could_not_be_read()
    {
        var cards = Evaluate(OrderSelect(CtLeftHip(), Patient(), LeftHipPain(), NormalLeftHipXray(), Lab("1988-5", 3, "mg/xx")));
        var card = CardAssert.Single(cards, "replace-with-mri", CardIndicator.Warning);
        Assert.That(card.Detail, Does.Contain("- Could not be read, not counted: CRP 3 mg/xx, 2026-11-23: unit 'mg/xx' not understood"));
    }

    [Test]
    public void Malformed_instants_and_numbers_never_cost_the_other_cards()
    {
        var observation = Lenient("""{"resourceType":"Observation","id":"o","status":"final","category":[{"coding":[{"code":"imaging"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"26131-3"}]},"issued":"garbage","valueQuantity":{"value":"1e400"}}""");
        var cards = Evaluate(OrderSelect(CtLeftHip(), Patient(), LeftHipPain(), NormalLeftHipXray(), observation));
        CardAssert.Single(cards, "replace-with-mri", CardIndicator.Warning);
    }
}
