using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Tests.Imaging;

/// <summary>Section 3 of BMES-RULES.md: every LOINC and CPT row, then bodySite, series laterality, reason and text.</summary>
public class ImagingClassifierTests
{
    private const string Loinc = "http://loinc.org";
    private const string Cpt = "http://www.ama-assn.org/go/cpt";
    private const string Snomed = "http://snomed.info/sct";

    private static readonly ImagingClassifier Classifier = new(Fixtures.Terminology);

    [TestCase("30687-8", Modality.MR, Joint.Hip, Side.Unknown, Contrast.Without)]
    [TestCase("36488-5", Modality.MR, Joint.Hip, Side.Left, Contrast.Without)]
    [TestCase("36490-1", Modality.MR, Joint.Hip, Side.Right, Contrast.Without)]
    [TestCase("36486-9", Modality.MR, Joint.Hip, Side.Bilateral, Contrast.Without)]
    [TestCase("30688-6", Modality.MR, Joint.Hip, Side.Unknown, Contrast.WithoutThenWith)]
    [TestCase("30671-2", Modality.MR, Joint.Hip, Side.Unknown, Contrast.Without)]
    [TestCase("30672-0", Modality.MR, Joint.Hip, Side.Unknown, Contrast.WithoutThenWith)]
    [TestCase("30691-0", Modality.MR, Joint.Knee, Side.Unknown, Contrast.Without)]
    [TestCase("36508-0", Modality.MR, Joint.Knee, Side.Left, Contrast.Without)]
    [TestCase("36510-6", Modality.MR, Joint.Knee, Side.Right, Contrast.Without)]
    [TestCase("36506-4", Modality.MR, Joint.Knee, Side.Bilateral, Contrast.Without)]
    [TestCase("30680-3", Modality.MR, Joint.Ankle, Side.Unknown, Contrast.Without)]
    [TestCase("36427-3", Modality.MR, Joint.Ankle, Side.Left, Contrast.Without)]
    [TestCase("36429-9", Modality.MR, Joint.Ankle, Side.Right, Contrast.Without)]
    [TestCase("36484-4", Modality.CT, Joint.Hip, Side.Unknown, Contrast.Without)]
    [TestCase("36487-7", Modality.CT, Joint.Hip, Side.Left, Contrast.Without)]
    [TestCase("36489-3", Modality.CT, Joint.Hip, Side.Right, Contrast.Without)]
    [TestCase("36485-1", Modality.CT, Joint.Hip, Side.Bilateral, Contrast.Without)]
    [TestCase("36505-6", Modality.CT, Joint.Knee, Side.Unknown, Contrast.Without)]
    [TestCase("36507-2", Modality.CT, Joint.Knee, Side.Left, Contrast.Without)]
    [TestCase("36509-8", Modality.CT, Joint.Knee, Side.Right, Contrast.Without)]
    [TestCase("36425-7", Modality.CT, Joint.Ankle, Side.Unknown, Contrast.Without)]
    [TestCase("36426-5", Modality.CT, Joint.Ankle, Side.Left, Contrast.Without)]
    [TestCase("36428-1", Modality.CT, Joint.Ankle, Side.Right, Contrast.Without)]
    [TestCase("24762-7", Modality.XR, Joint.Hip, Side.Unknown, Contrast.Unknown)]
    [TestCase("24761-9", Modality.XR, Joint.Hip, Side.Unknown, Contrast.Unknown)]
    [TestCase("26131-3", Modality.XR, Joint.Hip, Side.Left, Contrast.Unknown)]
    [TestCase("26132-1", Modality.XR, Joint.Hip, Side.Right, Contrast.Unknown)]
    [TestCase("26130-5", Modality.XR, Joint.Hip, Side.Bilateral, Contrast.Unknown)]
    [TestCase("30767-8", Modality.XR, Joint.Hip, Side.Unknown, Contrast.Unknown)]
    [TestCase("30770-2", Modality.XR, Joint.Hip, Side.Unknown, Contrast.Unknown)]
    [TestCase("30768-6", Modality.XR, Joint.Hip, Side.Bilateral, Contrast.Unknown)]
    [TestCase("30788-4", Modality.XR, Joint.Knee, Side.Unknown, Contrast.Unknown)]
    [TestCase("30779-3", Modality.XR, Joint.Ankle, Side.Unknown, Contrast.Unknown)]
    [TestCase("25031-6", Modality.NM, Joint.None, Side.Unknown, Contrast.Unknown)]
    public void Loinc_playbook_code_is_classified(string code, Modality modality, Joint joint, Side side, Contrast contrast) =>
        Assert.That(Classify(Order(Loinc, code)), Is.EqualTo(new ImagingClass(modality, joint, side, contrast)));

    [TestCase("73721", Modality.MR, Contrast.Without)]
    [TestCase("73722", Modality.MR, Contrast.With)]
    [TestCase("73723", Modality.MR, Contrast.WithoutThenWith)]
    [TestCase("73700", Modality.CT, Contrast.Without)]
    [TestCase("73701", Modality.CT, Contrast.With)]
    [TestCase("73702", Modality.CT, Contrast.WithoutThenWith)]
    [TestCase("78300", Modality.NM, Contrast.Unknown)]
    [TestCase("78305", Modality.NM, Contrast.Unknown)]
    [TestCase("78306", Modality.NM, Contrast.Unknown)]
    [TestCase("78315", Modality.NM, Contrast.Unknown)]
    [TestCase("78320", Modality.NM, Contrast.Unknown)]
    public void Cpt_code_naming_no_joint_takes_joint_and_side_from_the_body_site(string code, Modality modality, Contrast contrast)
    {
        Assert.That(Classify(Order(Cpt, code)), Is.EqualTo(new ImagingClass(modality, Joint.None, Side.Unknown, contrast)));
        var order = Order(Cpt, code);
        order.BodySite.Add(new CodeableConcept(Snomed, "49076000", "Knee joint"));
        order.BodySite.Add(new CodeableConcept(Snomed, "24028007", "Right"));
        Assert.That(Classify(order), Is.EqualTo(new ImagingClass(modality, Joint.Knee, Side.Right, contrast)));
    }

    [TestCase("72195", Modality.MR, Contrast.Without)]
    [TestCase("72196", Modality.MR, Contrast.With)]
    [TestCase("72197", Modality.MR, Contrast.WithoutThenWith)]
    [TestCase("72192", Modality.CT, Contrast.Without)]
    [TestCase("72193", Modality.CT, Contrast.With)]
    [TestCase("72194", Modality.CT, Contrast.WithoutThenWith)]
    public void Cpt_pelvis_mri_or_ct_is_both_hips(string code, Modality modality, Contrast contrast) =>
        Assert.That(Classify(Order(Cpt, code)), Is.EqualTo(new ImagingClass(modality, Joint.Hip, Side.Bilateral, contrast)));

    [TestCase("73501", Joint.Hip, Side.Unknown)]
    [TestCase("73502", Joint.Hip, Side.Unknown)]
    [TestCase("73503", Joint.Hip, Side.Unknown)]
    [TestCase("73521", Joint.Hip, Side.Bilateral)]
    [TestCase("73522", Joint.Hip, Side.Bilateral)]
    [TestCase("73523", Joint.Hip, Side.Bilateral)]
    [TestCase("73560", Joint.Knee, Side.Unknown)]
    [TestCase("73562", Joint.Knee, Side.Unknown)]
    [TestCase("73564", Joint.Knee, Side.Unknown)]
    [TestCase("73600", Joint.Ankle, Side.Unknown)]
    [TestCase("73610", Joint.Ankle, Side.Unknown)]
    public void Cpt_xray_code_is_classified(string code, Joint joint, Side side) =>
        Assert.That(Classify(Order(Cpt, code)), Is.EqualTo(new ImagingClass(Modality.XR, joint, side, Contrast.Unknown)));

    [Test]
    public void Side_in_the_bmes_laterality_extension_of_the_body_site_is_read()
    {
        var order = Order(Cpt, "73721");
        var site = new CodeableConcept(Snomed, "24136001", "Hip joint");
        site.Extension.Add(new Extension("https://bmes-cds.org/fhir/StructureDefinition/bmes-laterality", new CodeableConcept(Snomed, "7771000", "Left")));
        order.BodySite.Add(site);
        Assert.That(Classify(order), Is.EqualTo(new ImagingClass(Modality.MR, Joint.Hip, Side.Left, Contrast.Without)));
    }

    [Test]
    public void Sandbox_ct_73700_with_snomed_knee_pain_reason_is_a_knee_ct()
    {
        var order = Order(Cpt, "73700");
        order.ReasonCode.Add(new CodeableConcept(Snomed, "30989003", "Knee pain (finding)"));
        Assert.That(Classify(order), Is.EqualTo(new ImagingClass(Modality.CT, Joint.Knee, Side.Unknown, Contrast.Without)));
    }

    [Test]
    public void Mri_73721_with_icd10_left_hip_pain_reason_is_a_left_hip_mri()
    {
        var order = Order(Cpt, "73721");
        order.ReasonCode.Add(new CodeableConcept("http://hl7.org/fhir/sid/icd-10-cm", "M25.552", "Pain in left hip"));
        Assert.That(Classify(order), Is.EqualTo(new ImagingClass(Modality.MR, Joint.Hip, Side.Left, Contrast.Without)));
    }

    [Test]
    public void Bone_scan_with_a_reason_reference_to_a_right_hip_pain_condition_is_a_right_hip_bone_scan()
    {
        var order = Order(Cpt, "78300");
        order.ReasonReference.Add(new ResourceReference("Condition/pain"));
        var pain = new Condition { Id = "pain", Code = new CodeableConcept(Snomed, "49218002", "Pain of hip region") };
        pain.BodySite.Add(new CodeableConcept(Snomed, "24028007", "Right"));
        Assert.That(Classifier.Classify(order, reference => reference.Reference == "Condition/pain" ? pain : null),
            Is.EqualTo(new ImagingClass(Modality.NM, Joint.Hip, Side.Right, Contrast.Unknown)));
    }

    [Test]
    public void Unknown_spine_mri_ordered_for_hip_pain_is_not_a_hip_study()
    {
        var order = new ServiceRequest { Code = new CodeableConcept { Text = "MRI lumbar spine without contrast" } };
        order.ReasonCode.Add(new CodeableConcept("http://hl7.org/fhir/sid/icd-10-cm", "M25.552", "Pain in left hip"));
        Assert.That(Classify(order).Joint, Is.EqualTo(Joint.None));
    }

    [Test]
    public void Imaging_study_takes_modality_from_series_and_side_from_series_laterality()
    {
        var study = new ImagingStudy { Description = "Hip" };
        study.Series.Add(new ImagingStudy.SeriesComponent
        {
            Modality = new Coding("http://dicom.nema.org/resources/ontology/DCM", "DX"),
            BodySite = new Coding(Snomed, "24136001", "Hip joint"),
            Laterality = new Coding(Snomed, "7771000", "Left"),
        });
        Assert.That(Classifier.Classify(study), Is.EqualTo(new ImagingClass(Modality.XR, Joint.Hip, Side.Left, Contrast.Unknown)));
    }

    [TestCase("MR HIP LT WO", Modality.MR, Joint.Hip, Side.Left, Contrast.Without)]
    [TestCase("MR HIP RT WO+W", Modality.MR, Joint.Hip, Side.Right, Contrast.WithoutThenWith)]
    [TestCase("MRI left hip without contrast", Modality.MR, Joint.Hip, Side.Left, Contrast.Without)]
    [TestCase("MRI right knee with and without contrast", Modality.MR, Joint.Knee, Side.Right, Contrast.WithoutThenWith)]
    [TestCase("MRI ankle w/o contrast", Modality.MR, Joint.Ankle, Side.Unknown, Contrast.Without)]
    [TestCase("MR KNEE BILAT W", Modality.MR, Joint.Knee, Side.Bilateral, Contrast.With)]
    [TestCase("XR KNEE 3 VIEWS", Modality.XR, Joint.Knee, Side.Unknown, Contrast.Unknown)]
    [TestCase("X-ray of both hips", Modality.XR, Joint.Hip, Side.Bilateral, Contrast.Unknown)]
    [TestCase("Radiograph hips", Modality.XR, Joint.Hip, Side.Bilateral, Contrast.Unknown)]
    [TestCase("CT ANKLE RT", Modality.CT, Joint.Ankle, Side.Right, Contrast.Unknown)]
    [TestCase("Bone scan, right hip", Modality.NM, Joint.Hip, Side.Right, Contrast.Unknown)]
    [TestCase("US left knee", Modality.US, Joint.Knee, Side.Left, Contrast.Unknown)]
    public void Order_known_only_by_its_text_is_classified(string text, Modality modality, Joint joint, Side side, Contrast contrast)
    {
        var order = new ServiceRequest { Code = new CodeableConcept { Text = text } };
        Assert.That(Classify(order), Is.EqualTo(new ImagingClass(modality, joint, side, contrast)));
    }

    [Test]
    public void Code_wins_over_text_and_text_fills_what_the_code_does_not_say()
    {
        var order = Order(Loinc, "36488-5");
        order.Code!.Text = "MR knee right with contrast";
        Assert.That(Classify(order), Is.EqualTo(new ImagingClass(Modality.MR, Joint.Hip, Side.Left, Contrast.Without)));

        var unsided = Order(Loinc, "30687-8");
        unsided.Code!.Text = "MR HIP LT WO";
        Assert.That(Classify(unsided).Side, Is.EqualTo(Side.Left));
    }

    [Test]
    public void Empty_coding_from_the_sandbox_screen_is_unknown() =>
        Assert.That(Classify(new ServiceRequest { Code = new CodeableConcept { Coding = [new Coding()] } }), Is.EqualTo(ImagingClass.Unknown));

    private static ImagingClass Classify(ServiceRequest order) => Classifier.Classify(order);

    private static ServiceRequest Order(string system, string code) => new() { Code = new CodeableConcept(system, code) };
}
