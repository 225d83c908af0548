using System.Text;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;
using static BmesCds.Clinical.Tests.Support.Make;

namespace BmesCds.Clinical.Tests.Version2;

/// <summary>
/// C4: a coded result decides the X-ray result and the MRI class, but osteonecrosis words in the text still make
/// ON_IMAGING; text is read from `conclusion`, from each text/plain or text/html `presentedForm` with inline data
/// (tags stripped), and from an imaging Observation's `valueString` and `note`.
/// </summary>
public class C4CodesAndTextTests
{
    private static DiagnosticReport LeftHipXray(string? conclusion = null, string? code = null, params Attachment[] forms)
    {
        var report = Report("26131-3", 30, conclusion, code);
        report.PresentedForm.AddRange(forms);
        return report;
    }

    private static Attachment Form(string contentType, string text) => new() { ContentType = contentType, Data = Encoding.UTF8.GetBytes(text) };

    [Test]
    public void Xray_coded_abnormal_with_crescent_sign_in_its_text_is_osteonecrosis_on_imaging()
    {
        var findings = FindingsOf.LeftHip(LeftHipXray("Crescent sign and flattening of the left femoral head.", "168662003"));
        Assert.Multiple(() =>
        {
            Assert.That(findings.Xray, Is.EqualTo(XrayResult.Abnormal));
            Assert.That(findings.OsteonecrosisImaging.Single().Display, Does.Contain("Plain X-ray of hip joint abnormal").And.Contain("Crescent sign"));
        });
    }

    [Test]
    public void Coded_normal_xray_stays_normal_but_its_text_can_still_show_osteonecrosis()
    {
        var findings = FindingsOf.LeftHip(LeftHipXray("Subtle crescent sign.", "168661005"));
        Assert.That((findings.Xray, findings.OsteonecrosisImaging.Count), Is.EqualTo((XrayResult.Normal, 1)));
    }

    [Test]
    public void Coded_mri_class_decides_even_when_the_text_says_otherwise()
    {
        var mri = Report("36488-5", 20, "Bone marrow oedema pattern; early AVN cannot be excluded.");
        mri.ConclusionCode.Add(new CodeableConcept("https://bmes-cds.org/fhir/CodeSystem/bmes-imaging-finding", "bme-pattern"));
        var findings = FindingsOf.LeftHip(mri);
        Assert.That((findings.MriResult, findings.OsteonecrosisImaging.Count), Is.EqualTo((MriFinding.BmePattern, 1)));
    }

    [Test]
    public void Denied_osteonecrosis_in_the_text_of_a_coded_report_adds_nothing() =>
        Assert.That(FindingsOf.LeftHip(LeftHipXray("No subchondral fracture on the 3.0 T images to suggest osteonecrosis.", "168662003")).OsteonecrosisImaging, Is.Empty);

    [Test]
    public void Plain_text_presented_form_is_read()
    {
        var findings = FindingsOf.LeftHip(LeftHipXray(forms: Form("text/plain; charset=utf-8", "FINDINGS:\nCrescent sign of the left femoral head.")));
        Assert.That(findings.OsteonecrosisImaging, Has.Count.EqualTo(1));
    }

    [Test]
    public void Html_presented_form_is_read_without_its_tags()
    {
        var findings = FindingsOf.LeftHip(LeftHipXray(forms: Form("text/html", "<p>Normal <b>left</b> hip.</p><p>No fracture.</p>")));
        Assert.That((findings.Xray, findings.XrayEvidence!.Display), Is.EqualTo((XrayResult.Normal, "26131-3: \"Normal left hip. No fracture.\"")));
    }

    [Test]
    public void Presented_form_of_another_type_or_only_a_url_is_not_read()
    {
        var pdf = new Attachment { ContentType = "application/pdf", Data = Encoding.UTF8.GetBytes("Crescent sign") };
        var linked = new Attachment { ContentType = "text/plain", Url = "https://ehr.example.org/reports/1.txt" };
        Assert.That(FindingsOf.LeftHip(LeftHipXray(forms: [pdf, linked])).OsteonecrosisImaging, Is.Empty);
    }

    [Test]
    public void Conclusion_and_presented_form_are_both_read()
    {
        var findings = FindingsOf.LeftHip(LeftHipXray("Normal alignment.", forms: Form("text/plain", "IMPRESSION: Flattening of the femoral head.")));
        Assert.That((findings.Xray, findings.OsteonecrosisImaging.Count), Is.EqualTo((XrayResult.Abnormal, 1)));
    }

    [Test]
    public void Imaging_observation_value_string_and_note_are_read()
    {
        Observation Result(string? value, string? note)
        {
            var observation = new Observation
            {
                Status = ObservationStatus.Final,
                Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "imaging")],
                Code = new CodeableConcept(Loinc, "36488-5"),
                Effective = new FhirDateTime(Day(10)),
                Value = value is null ? null : new FhirString(value),
            };
            if (note is not null)
            {
                observation.Note.Add(new Annotation { Text = new Markdown(note) });
            }

            return observation;
        }

        Assert.Multiple(() =>
        {
            Assert.That(FindingsOf.LeftHip(Result("Diffuse bone marrow oedema of the femoral head.", null)).MriResult, Is.EqualTo(MriFinding.BmePattern));
            Assert.That(FindingsOf.LeftHip(Result(null, "Double line sign on T2.")).MriResult, Is.EqualTo(MriFinding.OsteonecrosisFeatures));
        });
    }

    [Test]
    public void Card_of_the_issue_coded_abnormal_xray_with_crescent_sign_proposes_the_osteonecrosis_condition()
    {
        var cards = Evaluate(PatientView(Patient(), LeftHipPain(60), LeftHipXray("Crescent sign and flattening of the left femoral head.", "168662003")));
        var card = CardAssert.Single(cards, "osteonecrosis-findings", CardIndicator.Warning);
        Assert.That(card.Suggestions[0].Actions.Single().Resource, Is.InstanceOf<Condition>());
    }
}
