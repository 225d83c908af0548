using System.Net;
using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Protocol;

public sealed class FeedbackTests : HostedTests
{
    private Task<HttpResponseMessage> PostAsync(string json) =>
        Client.PostAsync("/cds-services/bmes-order-select/feedback", Json.Body(json));

    private static async Task AssertRefused(HttpResponseMessage response, string field, string wording)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        var (diagnostics, expression) = await Json.ReadOutcomeAsync(response);
        Assert.That(expression, Is.EqualTo(field));
        Assert.That(diagnostics, Does.Contain(wording));
    }

    [Test]
    public async Task The_sandbox_accepted_feedback_is_received()
    {
        var capture = await File.ReadAllTextAsync(Path.Combine(Repository.SandboxCaptures, "feedback-accepted.json"));

        var response = await PostAsync(capture);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Json.ReadAsync(response)).GetProperty("received").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Overridden_feedback_with_a_coded_reason_and_comment_is_received()
    {
        var response = await PostAsync("""
            {"feedback":[{"card":"9368d37b-283f-44a0-93ea-547cebab93ed","outcome":"overridden",
              "overrideReason":{"reason":{"code":"mri-unavailable","system":"https://bmes-cds.org/fhir/CodeSystem/bmes-override-reason","display":"MRI unavailable"},
              "userComment":"Scanner down this week"},"outcomeTimestamp":"2026-11-28T10:05:31Z"}]}
            """);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Overridden_feedback_without_a_reason_is_received()
    {
        var response = await PostAsync("""{"feedback":[{"card":"f6b95768","outcome":"overridden","outcomeTimestamp":"2020-12-11T00:00:00Z"}]}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Several_outcomes_in_one_post_are_all_received()
    {
        var response = await PostAsync("""
            {"feedback":[
              {"card":"a","outcome":"overridden","outcomeTimestamp":"2026-11-28T10:00:00Z"},
              {"card":"b","outcome":"accepted","acceptedSuggestions":[{"id":"s1"}],"outcomeTimestamp":"2026-11-28T10:00:00+00:00"}]}
            """);

        Assert.That((await Json.ReadAsync(response)).GetProperty("received").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task Accepted_feedback_without_accepted_suggestions_is_400()
    {
        var response = await PostAsync("""{"feedback":[{"card":"c1","outcome":"accepted","outcomeTimestamp":"2026-11-28T10:00:00Z"}]}""");

        await AssertRefused(response, "feedback[0].acceptedSuggestions", "is required when outcome is 'accepted'");
    }

    [Test]
    public async Task Accepted_feedback_with_an_empty_suggestion_list_is_400()
    {
        var response = await PostAsync("""{"feedback":[{"card":"c1","outcome":"accepted","acceptedSuggestions":[],"outcomeTimestamp":"2026-11-28T10:00:00Z"}]}""");

        await AssertRefused(response, "feedback[0].acceptedSuggestions", "non-empty array");
    }

    [Test]
    public async Task An_accepted_suggestion_without_id_is_400()
    {
        var response = await PostAsync("""{"feedback":[{"card":"c1","outcome":"accepted","acceptedSuggestions":[{}],"outcomeTimestamp":"2026-11-28T10:00:00Z"}]}""");

        await AssertRefused(response, "feedback[0].acceptedSuggestions[0].id", "is required");
    }

    [Test]
    public async Task An_override_reason_on_accepted_feedback_is_400()
    {
        var response = await PostAsync("""
            {"feedback":[{"card":"c1","outcome":"accepted","acceptedSuggestions":[{"id":"s1"}],
              "overrideReason":{"userComment":"?"},"outcomeTimestamp":"2026-11-28T10:00:00Z"}]}
            """);

        await AssertRefused(response, "feedback[0].overrideReason", "only allowed when outcome is 'overridden'");
    }

    [Test]
    public async Task Accepted_suggestions_on_overridden_feedback_are_400()
    {
        var response = await PostAsync("""
            {"feedback":[{"card":"c1","outcome":"overridden","acceptedSuggestions":[{"id":"s1"}],"outcomeTimestamp":"2026-11-28T10:00:00Z"}]}
            """);

        await AssertRefused(response, "feedback[0].acceptedSuggestions", "only allowed when outcome is 'accepted'");
    }

    [Test]
    public async Task An_unknown_outcome_is_400()
    {
        var response = await PostAsync("""{"feedback":[{"card":"c1","outcome":"ignored","outcomeTimestamp":"2026-11-28T10:00:00Z"}]}""");

        await AssertRefused(response, "feedback[0].outcome", "must be 'accepted' or 'overridden'");
    }

    [TestCase("2026-11-28")]
    [TestCase("2026-11-28T10:00:00")]
    [TestCase("yesterday")]
    public async Task An_outcome_timestamp_that_is_not_RFC_3339_is_400(string timestamp)
    {
        var response = await PostAsync($$"""{"feedback":[{"card":"c1","outcome":"overridden","outcomeTimestamp":"{{timestamp}}"}]}""");

        await AssertRefused(response, "feedback[0].outcomeTimestamp", "RFC 3339");
    }

    [Test]
    public async Task A_missing_card_uuid_is_400()
    {
        var response = await PostAsync("""{"feedback":[{"outcome":"overridden","outcomeTimestamp":"2026-11-28T10:00:00Z"}]}""");

        await AssertRefused(response, "feedback[0].card", "is required");
    }

    [Test]
    public async Task An_empty_feedback_list_is_400()
    {
        var response = await PostAsync("""{"feedback":[]}""");

        await AssertRefused(response, "feedback", "non-empty array");
    }

    [Test]
    public async Task An_override_reason_with_neither_coding_nor_comment_is_400()
    {
        var response = await PostAsync("""{"feedback":[{"card":"c1","outcome":"overridden","overrideReason":{},"outcomeTimestamp":"2026-11-28T10:00:00Z"}]}""");

        await AssertRefused(response, "feedback[0].overrideReason", "needs a 'reason' Coding or a 'userComment'");
    }

    [Test]
    public async Task Feedback_answers_are_not_held_to_card_rules_but_are_json()
    {
        var response = await PostAsync(JsonNode.Parse("""{"feedback":[{"card":"c1","outcome":"overridden","outcomeTimestamp":"2026-11-28T10:00:00Z"}]}""")!.ToJsonString());

        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
    }
}
