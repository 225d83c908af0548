using System.Text.Json;
using System.Text.Json.Nodes;
using BmesCds.CdsHooks.Fhir;
using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Profiles.Tests;

/// <summary>
/// Each constraint of the BMES profiles catches what it is for: a valid example, broken in one place, fails with an
/// error that names the element or the invariant. Broken JSON is read as the service reads incoming JSON (leniently).
/// </summary>
public sealed class ProfileConstraintTests
{
    private const string MriExample = "samples/profiles/ServiceRequest-bmes-mri-example.json";
    private const string ConditionExample = "samples/profiles/Condition-bmes-osteonecrosis-example.json";
    private const string FindingExample = "samples/profiles/Observation-bmes-imaging-finding-example.json";

    [Test]
    public void Suggested_MRI_without_bodySite_fails_naming_ServiceRequest_bodySite()
    {
        var errors = ValidateBroken(MriExample, BmesCanonicals.MriServiceRequestProfile, json => json.Remove("bodySite"));

        Assert.That(errors.Describe(), Does.Contain("ServiceRequest.bodySite"));
    }

    [Test]
    public void ServiceRequest_with_status_bogus_fails_base_validation()
    {
        var resource = Read(MriExample, json =>
        {
            json["status"] = "bogus";
            json.Remove("meta");
        });

        var errors = SharedValidator.Instance.Validate(resource).Errors();

        Assert.That(errors.Describe(), Does.Contain("ServiceRequest.status"));
    }

    [Test]
    public void Suggested_MRI_must_be_a_draft() =>
        Assert.That(ValidateBroken(MriExample, BmesCanonicals.MriServiceRequestProfile, json => json["status"] = "active").Describe(),
            Does.Contain("ServiceRequest.status"));

    [Test]
    public void Suggested_MRI_intent_is_order_or_proposal() =>
        Assert.That(ValidateBroken(MriExample, BmesCanonicals.MriServiceRequestProfile, json => json["intent"] = "plan").Describe(),
            Does.Contain("bmes-mri-2"));

    [Test]
    public void Suggested_MRI_needs_a_reason() =>
        Assert.That(ValidateBroken(MriExample, BmesCanonicals.MriServiceRequestProfile, json => json.Remove("reasonReference")).Describe(),
            Does.Contain("bmes-mri-1"));

    [Test]
    public void Suggested_MRI_needs_a_note() =>
        Assert.That(ValidateBroken(MriExample, BmesCanonicals.MriServiceRequestProfile, json => json.Remove("note")).Describe(),
            Does.Contain("ServiceRequest.note"));

    [Test]
    public void Suggested_MRI_with_a_CT_code_fails_the_required_binding()
    {
        var errors = ValidateBroken(MriExample, BmesCanonicals.MriServiceRequestProfile, json => json["code"] = JsonNode.Parse(
            """{"coding":[{"system":"http://loinc.org","code":"36487-7","display":"CT Hip - left WO contrast"}]}"""));

        Assert.That(errors.Describe(), Does.Contain("ServiceRequest.code"));
    }

    [Test]
    public void Suggested_MRI_bodySite_outside_body_sites_fails()
    {
        var errors = ValidateBroken(MriExample, BmesCanonicals.MriServiceRequestProfile, json => json["bodySite"] = JsonNode.Parse(
            """[{"coding":[{"system":"http://snomed.info/sct","code":"39607008","display":"Lung structure"}]}]"""));

        Assert.That(errors.Describe(), Does.Contain("ServiceRequest.bodySite"));
    }

    [Test]
    public void Osteonecrosis_condition_needs_a_verificationStatus() =>
        Assert.That(ValidateBroken(ConditionExample, BmesCanonicals.OsteonecrosisConditionProfile, json => json.Remove("verificationStatus")).Describe(),
            Does.Contain("Condition.verificationStatus"));

    [Test]
    public void Osteonecrosis_condition_is_a_problem_list_item() =>
        Assert.That(ValidateBroken(ConditionExample, BmesCanonicals.OsteonecrosisConditionProfile, json => json["category"] = JsonNode.Parse(
                """[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category","code":"encounter-diagnosis"}]}]""")).Describe(),
            Does.Contain("bmes-on-1"));

    [Test]
    public void Osteonecrosis_condition_code_comes_from_the_osteonecrosis_value_set() =>
        Assert.That(ValidateBroken(ConditionExample, BmesCanonicals.OsteonecrosisConditionProfile, json => json["code"] = JsonNode.Parse(
                """{"coding":[{"system":"http://snomed.info/sct","code":"49218002","display":"Pain of hip region"}]}""")).Describe(),
            Does.Contain("Condition.code"));

    [Test]
    public void Imaging_finding_names_the_imaging_it_comes_from() =>
        Assert.That(ValidateBroken(FindingExample, BmesCanonicals.ImagingFindingProfile, json =>
        {
            json.Remove("derivedFrom");
            json.Remove("focus");
        }).Describe(), Does.Contain("bmes-if-2"));

    [Test]
    public void Imaging_finding_carries_a_bmes_imaging_finding_code() =>
        Assert.That(ValidateBroken(FindingExample, BmesCanonicals.ImagingFindingProfile, json => json["valueCodeableConcept"] = JsonNode.Parse(
                """{"coding":[{"system":"http://snomed.info/sct","code":"168661005","display":"Plain X-ray of hip joint normal"}]}""")).Describe(),
            Does.Contain("bmes-if-1"));

    [Test]
    public void Imaging_finding_needs_effective() =>
        Assert.That(ValidateBroken(FindingExample, BmesCanonicals.ImagingFindingProfile, json => json.Remove("effectiveDateTime")).Describe(),
            Does.Contain("Observation.effective"));

    [Test]
    public void Unknown_code_of_an_external_system_is_no_error_where_the_binding_is_not_ours()
    {
        // SNOMED CT cannot be checked offline: an unknown SNOMED reasonCode must not fail a base validation.
        var resource = Read(MriExample, json =>
        {
            json.Remove("meta");
            json["reasonCode"] = JsonNode.Parse("""[{"coding":[{"system":"http://snomed.info/sct","code":"999999999"}]}]""");
        });

        Assert.That(SharedValidator.Instance.Validate(resource).Errors(), Is.Empty);
    }

    private static IReadOnlyList<OperationOutcome.IssueComponent> ValidateBroken(string file, string profile, Action<JsonObject> breakIt)
    {
        var valid = SharedValidator.Instance.Validate(Read(file, _ => { }), profile).Errors();
        Assume.That(valid, Is.Empty, $"{file} is valid before it is broken: {valid.Describe()}");

        var errors = SharedValidator.Instance.Validate(Read(file, breakIt), profile).Errors();
        Assert.That(errors, Is.Not.Empty, "the broken resource fails validation");
        return errors;
    }

    private static Resource Read(string file, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(File.ReadAllText(Repository.Full(file)))!.AsObject();
        change(json);
        var read = LenientFhirReader.Read(JsonSerializer.SerializeToElement(json));
        return read.Resource ?? throw new InvalidOperationException(read.Refusal);
    }
}
