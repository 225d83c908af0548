using System.Text.Json;
using BmesCds.CdsHooks.Conformance;

namespace BmesCds.CdsHooks.Tests.Conformance;

/// <summary>The conformance suite must itself fail on each broken rule, or it proves nothing.</summary>
public sealed class ResponseConformanceTests
{
    private const string ValidCard = """
        {"uuid":"2f4b2c6e-3b7a-4d5c-9a61-0f1f0e2d3c4b","summary":"MRI without contrast is preferred","indicator":"warning",
         "source":{"label":"BMES Decision Support","topic":{"code":"replace-with-mri","system":"https://bmes-cds.org/fhir/CodeSystem/bmes-cds-rule","display":"Replace with MRI"}},
         "suggestions":[{"label":"Order MRI","uuid":"7a1c9f0e-5d2b-4c3a-8e6f-1b2a3c4d5e6f","isRecommended":true,"actions":[
            {"type":"delete","description":"Remove the CT","resourceId":"ServiceRequest/sr-1"},
            {"type":"create","description":"Order MRI","resource":{"resourceType":"ServiceRequest","status":"draft"}}]}],
         "selectionBehavior":"at-most-one",
         "overrideReasons":[{"code":"mri-unavailable","system":"https://bmes-cds.org/fhir/CodeSystem/bmes-override-reason","display":"MRI unavailable"}],
         "links":[{"label":"ACR","url":"https://acsearch.acr.org/list","type":"absolute"}]}
        """;

    private static IReadOnlyList<string> Check(string json) => ResponseConformance.Check(JsonDocument.Parse(json).RootElement);

    private static IReadOnlyList<string> CheckCard(string find, string replace)
    {
        var card = ValidCard.Replace(find, replace, StringComparison.Ordinal);
        Assert.That(card, Is.Not.EqualTo(ValidCard), $"the valid card has no '{find}'");
        return Check($$"""{"cards":[{{card}}]}""");
    }

    [Test]
    public void A_valid_response_passes()
    {
        Assert.That(Check($$"""{"cards":[{{ValidCard}}]}"""), Is.Empty);
    }

    [Test]
    public void The_empty_answer_passes()
    {
        Assert.That(Check("""{"cards":[]}"""), Is.Empty);
    }

    [Test]
    public void Missing_cards_breaks_cds_resp_1()
    {
        Assert.That(Check("{}"), Has.Some.StartsWith("cds-resp-1"));
    }

    [Test]
    public void A_summary_of_140_characters_breaks_cds_resp_2()
    {
        Assert.That(CheckCard("MRI without contrast is preferred", new string('x', 140)), Has.Some.StartsWith("cds-resp-2"));
    }

    [Test]
    public void An_unknown_indicator_breaks_cds_resp_3()
    {
        Assert.That(CheckCard("\"indicator\":\"warning\"", "\"indicator\":\"hard-stop\""), Has.Some.StartsWith("cds-resp-3"));
    }

    [Test]
    public void A_source_without_label_breaks_cds_resp_4()
    {
        Assert.That(CheckCard("\"label\":\"BMES Decision Support\",", string.Empty), Has.Some.StartsWith("cds-resp-4"));
    }

    [Test]
    public void Suggestions_without_selection_behavior_break_cds_resp_5()
    {
        Assert.That(CheckCard("\"selectionBehavior\":\"at-most-one\",", string.Empty), Has.Some.StartsWith("cds-resp-5"));
    }

    [Test]
    public void An_override_reason_without_display_breaks_cds_resp_6()
    {
        Assert.That(CheckCard(",\"display\":\"MRI unavailable\"", string.Empty), Has.Some.StartsWith("cds-resp-6"));
    }

    [Test]
    public void A_null_attribute_is_refused()
    {
        Assert.That(CheckCard("\"summary\":", "\"detail\":null,\"summary\":"), Has.Some.Contains("null is not allowed"));
    }

    [Test]
    public void An_empty_optional_array_is_refused()
    {
        Assert.That(CheckCard("\"links\":[{\"label\":\"ACR\",\"url\":\"https://acsearch.acr.org/list\",\"type\":\"absolute\"}]", "\"links\":[]"), Has.Some.Contains("empty array"));
    }

    [Test]
    public void A_delete_action_without_resource_id_is_refused()
    {
        Assert.That(CheckCard("\"resourceId\":\"ServiceRequest/sr-1\"", "\"resource\":{\"resourceType\":\"ServiceRequest\",\"id\":\"sr-1\"}"), Has.Some.Contains("delete action uses resourceId"));
    }

    [Test]
    public void A_create_action_without_resource_is_refused()
    {
        Assert.That(CheckCard(",\"resource\":{\"resourceType\":\"ServiceRequest\",\"status\":\"draft\"}", string.Empty), Has.Some.Contains("needs a FHIR resource"));
    }

    [Test]
    public void A_duplicate_uuid_is_refused()
    {
        Assert.That(Check($$"""{"cards":[{{ValidCard}},{{ValidCard}}]}"""), Has.Some.Contains("is not unique"));
    }

    [Test]
    public void A_relative_link_is_refused()
    {
        Assert.That(CheckCard("https://acsearch.acr.org/list", "/list"), Has.Some.Contains("absolute URL"));
    }

    [Test]
    public void Two_recommended_suggestions_with_at_most_one_are_refused()
    {
        var second = """,{"label":"Other","uuid":"8a1c9f0e-5d2b-4c3a-8e6f-1b2a3c4d5e6f","isRecommended":true}""";
        Assert.That(CheckCard("\"type\":\"create\",\"description\":\"Order MRI\",\"resource\":{\"resourceType\":\"ServiceRequest\",\"status\":\"draft\"}}]}", "\"type\":\"create\",\"description\":\"Order MRI\",\"resource\":{\"resourceType\":\"ServiceRequest\",\"status\":\"draft\"}}]}" + second), Has.Some.Contains("at most one suggestion may be recommended"));
    }
}
