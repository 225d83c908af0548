using System.Text;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.Testing;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Tests;

/// <summary>
/// Raw FHIR JSON to the record the engine reads: the one walk finds every resource, only what the rules read is
/// parsed, each resource once; odd input is refused with its path or repaired, never thrown.
/// </summary>
public class RecordWalkTests
{
    private static string Searchset(params string[] resources) =>
        $$"""{"resourceType":"Bundle","type":"searchset","entry":[{{string.Join(",", resources.Select(resource => $$"""{"resource":{{resource}}}"""))}}]}""";

    private static List<string?> Ids(Pipeline.RecordAssembly assembly) => assembly.Record!.Resources.Select(resource => resource.Id).ToList();

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

        var assembly = FhirRecords.Read(bundle);

        Assert.That(Ids(assembly), Is.EqualTo(new[] { "pain", "crp", "mr", "pred" }));
    }

    [Test]
    public void Every_resource_is_found_with_its_type_and_only_the_relevant_are_marked()
    {
        var found = FhirRecords.Walk(Encoding.UTF8.GetBytes(Searchset(
            """{"id":"late-type","code":{"coding":[{"system":"http://loinc.org","code":"1988-5"}]},"resourceType":"Observation"}""",
            """{"resourceType":"Encounter","id":"e"}""")));

        Assert.That(found.Type, Is.EqualTo("Bundle"));
        Assert.That(found.Resources.Select(resource => (resource.Type, resource.Relevant)), Is.EqualTo(new[] { ("Observation", true), ("Encounter", false) }));
    }

    [Test]
    public void A_bundle_whose_resource_type_comes_after_its_entries_is_still_walked()
    {
        var found = FhirRecords.Walk(Encoding.UTF8.GetBytes(
            """{"entry":[{"resource":{"resourceType":"Patient","id":"p"}}],"type":"searchset","resourceType":"Bundle"}"""));

        Assert.That(found.Resources.Single().Type, Is.EqualTo("Patient"));
    }

    [Test]
    public void The_next_link_of_a_searchset_is_found_and_a_search_outcome_entry_is_dropped()
    {
        var found = FhirRecords.Walk(Encoding.UTF8.GetBytes("""
            {"resourceType":"Bundle","type":"searchset","link":[{"relation":"self","url":"http://x/fhir/Condition"},{"relation":"next","url":"http://x/fhir/Condition?page=2"}],
             "entry":[{"resource":{"resourceType":"OperationOutcome","issue":[]},"search":{"mode":"outcome"}},{"resource":{"resourceType":"Patient","id":"p"},"search":{"mode":"match"}}]}
            """));

        Assert.That(found.NextLink, Is.EqualTo("http://x/fhir/Condition?page=2"));
        Assert.That(found.Resources.Select(resource => resource.Type), Is.EqualTo(new[] { "Patient" }));
    }

    [TestCase("""[{"url":"http:\/\/x\/fhir\/Condition?page=2","relation":"next"}]""", "http://x/fhir/Condition?page=2")]
    [TestCase("""[{"relation":"n\u0065xt","url":"http://x/fhir/Condition?page=\u0032"},{"relation":"self","url":"http://x/self"}]""", "http://x/fhir/Condition?page=2")]
    [TestCase("""[{"relation":"next","url":"http://x/a"},{"relation":"next","url":"http://x/a"}]""", "http://x/a")]
    [TestCase("""[{"relation":"next","url":"http://x/a"},{"relation":"next","url":"http://x/b"}]""", FhirJsonWalker.UnusableNextLink)]
    [TestCase("""[{"relation":"next","url":7}]""", FhirJsonWalker.UnusableNextLink)]
    [TestCase("""[{"relation":"self","url":"http://x/self"}]""", null)]
    public void The_next_link_is_read_as_written_and_an_unusable_one_is_marked(string links, string? expected)
    {
        var found = FhirRecords.Walk(Encoding.UTF8.GetBytes($$"""{"resourceType":"Bundle","type":"searchset","link":{{links}},"entry":[]}"""));
        Assert.That(found.NextLink, Is.EqualTo(expected));
    }

    [Test]
    public void Patient_is_taken_from_a_bare_resource_and_duplicates_are_read_once()
    {
        var condition = """{"resourceType":"Condition","id":"pain","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M25.552"}]}}""";
        var assembly = FhirRecords.Read("""{"resourceType":"Patient","id":"p","gender":"male"}""", Searchset(condition), Searchset(condition));
        Assert.That(assembly.Record!.Patient?.Id, Is.EqualTo("p"));
        Assert.That(assembly.Record.Resources, Has.Count.EqualTo(1));
    }

    [TestCase("{}", "test", "has no resourceType")]
    [TestCase("""{"resourceType":"NotAType"}""", "test", "'NotAType' is not a FHIR R4 resource type")]
    [TestCase("""{"resourceType":"Resource","id":"x"}""", "test", "'Resource' is not a FHIR R4 resource type")]
    [TestCase("""{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"DomainResource"}}]}""", "test.entry[0].resource", "'DomainResource' is not a FHIR R4 resource type")]
    [TestCase("""{"resourceType":"Bundle","entry":"x"}""", "test.entry", "must be an array")]
    [TestCase("""{"resourceType":"Bundle","entry":[1,{"resource":null}]}""", "test.entry[0]", "must be an object")]
    [TestCase("""{"resourceType":"Bundle","entry":[{"resource":[]}]}""", "test.entry[0].resource", "must be a FHIR resource")]
    [TestCase("""{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Bundle","entry":[{"resource":{"id":"x"}}]}}]}""", "test.entry[0].resource.entry[0].resource", "has no resourceType")]
    public void Input_that_is_not_fhir_is_refused_naming_where(string json, string field, string message)
    {
        var refused = Assert.Throws<RequestRefusedException>(() => FhirRecords.Walk(Encoding.UTF8.GetBytes(json)))!;
        Assert.That(refused.Error.Field, Is.EqualTo(field));
        Assert.That(refused.Error.Message, Does.Contain(message));
    }

    [TestCase("""{"resourceType":"Condition","code":{"coding":"x"}}""")]
    [TestCase("""{"resourceType":"Condition","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M25.552"}]},"onsetDateTime":42,"bodySite":"left"}""")]
    [TestCase("""{"resourceType":"ImagingStudy","series":[{"modality":"MR"}],"started":{"a":1}}""")]
    [TestCase("""{"resourceType":"Observation","code":{"coding":[{"system":"http://loinc.org","code":"1988-5"}]},"valueQuantity":{"value":"high"}}""")]
    [TestCase("""{"resourceType":"Observation","code":{"coding":[{"system":1,"code":{"x":2}},{"system":"http://loinc.org","code":"1988-5"}],"text":7}}""")]
    [TestCase("""{"resourceType":"Condition","id":5,"code":[{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M25.552"}]}]}""")]
    public void Odd_but_readable_json_is_repaired_or_refused_as_an_answer_never_thrown(string json)
    {
        var assembly = FhirRecords.Read(json);
        Assert.That(assembly.Record is not null || assembly.Refusal is not null, Is.True);
    }

    [Test]
    public void Tolerated_issues_are_reported_without_values()
    {
        var assembly = FhirRecords.Read("""{"resourceType":"Condition","id":"c","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M25.552"}]},"onsetDateTime":"secret-value-123","subject":"Patient/p"}""");
        Assert.That(assembly.Tolerated.Select(issue => $"{issue.Code} {issue.Location} {issue.Description}"), Has.None.Contains("secret-value-123"));
    }

    [Test]
    public void Bundle_of_many_irrelevant_resources_keeps_only_the_relevant_ones()
    {
        var noise = Enumerable.Range(0, 600).Select(i =>
            $$$"""{"resourceType":"Observation","id":"o{{{i}}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2951-2"}]},"valueQuantity":{"value":140,"unit":"mmol/L"}}""");
        var pain = """{"resourceType":"Condition","id":"pain","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M25.552"}]}}""";
        Assert.That(Ids(FhirRecords.Read(Searchset([.. noise, pain]))), Is.EqualTo(new[] { "pain" }));
    }

    [Test]
    public void Codes_written_with_escapes_are_matched_like_plain_ones()
    {
        var escaped = """{"resourceType":"Condition","id":"pain","code":{"coding":[{"system":"http:\/\/hl7.org\/fhir\/sid\/icd-10-cm","code":"M25.55\u0032"}]}}""";
        Assert.That(Ids(FhirRecords.Read(escaped)), Is.EqualTo(new[] { "pain" }));
    }

    [Test]
    public void Lenient_reader_reads_the_sandbox_draft_order_without_intent() =>
        Assert.That(
            LenientFhirReader.Read("""{"resourceType":"ServiceRequest","id":"x","status":"draft","code":{"coding":[{}]},"reasonCode":[]}"""u8, "ServiceRequest").Resource,
            Is.InstanceOf<ServiceRequest>());
}
