using System.Text.Json;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Fhir;
using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Tests.Records;

/// <summary>Raw JSON to PatientRecord: only what the rules use is parsed; nothing throws.</summary>
public class PatientRecordReaderTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static string Searchset(params string[] resources) =>
        $$"""{"resourceType":"Bundle","type":"searchset","entry":[{{string.Join(",", resources.Select(resource => $$"""{"resource":{{resource}}}"""))}}]}""";

    [Test]
    public void Keeps_relevant_conditions_and_labs_and_skips_the_rest_of_a_searchset()
    {
        var bundle = Searchset(
            """{"resourceType":"Condition","id":"pain","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M25.552"}]}}""",
            """{"resourceType":"Condition","id":"flu","code":{"coding":[{"system":"http://snomed.info/sct","code":"6142004"}]}}""",
            """{"resourceType":"Observation","id":"crp","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"1988-5"}]}}""",
            """{"resourceType":"Observation","id":"sodium","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2951-2"}]}}""",
            """{"resourceType":"Encounter","id":"e","status":"finished"}""",
            """{"resourceType":"ServiceRequest","id":"cbc","status":"active","intent":"order","code":{"coding":[{"system":"http://loinc.org","code":"58410-2","display":"CBC panel"}]}}""",
            """{"resourceType":"ServiceRequest","id":"mr","status":"active","intent":"order","code":{"text":"MR HIP LT WO"}}""",
            """{"resourceType":"MedicationRequest","id":"pred","status":"active","intent":"order","medicationCodeableConcept":{"text":"predniSONE 20 mg tablet"}}""",
            """{"resourceType":"MedicationRequest","id":"ibu","status":"active","intent":"order","medicationCodeableConcept":{"text":"ibuprofen"}}""");
        var result = Fixtures.Reader().Read(Json(bundle));
        Assert.That(result.Record.Resources.Select(resource => resource.Id), Is.EqualTo(new[] { "pain", "crp", "mr", "pred" }));
        Assert.That(result.Issues.Select(issue => issue.Description), Has.None.Contains("skipped"));
    }

    [Test]
    public void Patient_is_taken_from_a_bare_resource_and_duplicates_are_read_once()
    {
        var condition = """{"resourceType":"Condition","id":"pain","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M25.552"}]}}""";
        var result = Fixtures.Reader().Read(Json("""{"resourceType":"Patient","id":"p","gender":"male"}"""), Json(Searchset(condition)), Json(Searchset(condition)));
        Assert.That(result.Record.Patient?.Id, Is.EqualTo("p"));
        Assert.That(result.Record.Resources, Has.Count.EqualTo(1));
    }

    [TestCase("null")]
    [TestCase("[]")]
    [TestCase("\"text\"")]
    [TestCase("{}")]
    [TestCase("""{"resourceType":"NotAType"}""")]
    [TestCase("""{"resourceType":"Bundle","entry":"x"}""")]
    [TestCase("""{"resourceType":"Bundle","entry":[1,{"resource":null},{"resource":[]}]}""")]
    [TestCase("""{"resourceType":"Condition","code":{"coding":"x"}}""")]
    [TestCase("""{"resourceType":"Condition","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M25.552"}]},"onsetDateTime":42,"bodySite":"left"}""")]
    [TestCase("""{"resourceType":"ImagingStudy","series":[{"modality":"MR"}],"started":{"a":1}}""")]
    [TestCase("""{"resourceType":"Observation","code":{"coding":[{"system":"http://loinc.org","code":"1988-5"}]},"valueQuantity":{"value":"high"}}""")]
    public void Malformed_input_is_skipped_or_repaired_never_thrown(string json)
    {
        var result = Fixtures.Reader().Read(Json(json));
        Assert.That(result.Record, Is.Not.Null);
    }

    [Test]
    public void Unreadable_resource_is_reported_without_its_values()
    {
        var result = Fixtures.Reader().Read(Json("""{"resourceType":"Condition","id":"c","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M25.552"}]},"onsetDateTime":"secret-value-123","subject":"Patient/p"}"""));
        Assert.That(result.Issues.Select(issue => issue.Description), Has.None.Contains("secret-value-123"));
    }

    [Test]
    public void Bundle_of_many_irrelevant_resources_keeps_only_the_relevant_ones()
    {
        var noise = Enumerable.Range(0, 600).Select(i =>
            $$$"""{"resourceType":"Observation","id":"o{{{i}}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2951-2"}]},"valueQuantity":{"value":140,"unit":"mmol/L"}}""");
        var pain = """{"resourceType":"Condition","id":"pain","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M25.552"}]}}""";
        var result = Fixtures.Reader().Read(Json(Searchset([.. noise, pain])));
        Assert.That(result.Record.Resources.Single().Id, Is.EqualTo("pain"));
    }

    [TestCase("order-select-pama-screen-opened.json")]
    [TestCase("order-select-pama-study-chosen.json")]
    [TestCase("order-select-pama-study-and-reason.json")]
    [TestCase("order-select-rx-view.json")]
    [TestCase("patient-view.json")]
    public void Real_sandbox_requests_evaluate_without_throwing(string file)
    {
        var path = Path.Combine(Fixtures.RepoRoot, "tests", "fixtures", "sandbox-captures", file);
        var request = Fixtures.ToRequest(File.ReadAllText(path));
        var cards = Fixtures.Engine().Evaluate(request, guarded: false);
        Assert.That(cards, Is.Not.Null);
    }

    [Test]
    public void Sandbox_knee_ct_with_reason_after_a_normal_knee_xray_gets_the_knee_card()
    {
        var path = Path.Combine(Fixtures.RepoRoot, "tests", "fixtures", "sandbox-captures", "order-select-pama-study-and-reason.json");
        var request = Fixtures.ToRequest(File.ReadAllText(path));
        var xray = Make.Report("30788-4", 10, conclusionCode: "168667009");
        var withXray = request with { Record = new PatientRecord(request.Record.Patient, [.. request.Record.Resources, xray]) };
        var card = Fixtures.Engine().Evaluate(withXray).Single();
        Assert.That((card.RuleId, card.Indicator), Is.EqualTo(("replace-with-mri", CardIndicator.Info)));
        Assert.That(card.Suggestions.Single().Actions[0].ResourceId, Is.EqualTo("ServiceRequest/example-request-id"));
    }

    [Test]
    public void Lenient_reader_reads_the_sandbox_draft_order_without_intent() =>
        Assert.That(LenientFhirReader.Read(Json("""{"resourceType":"ServiceRequest","id":"x","status":"draft","code":{"coding":[{}]},"reasonCode":[]}""")).Resource, Is.InstanceOf<ServiceRequest>());
}
