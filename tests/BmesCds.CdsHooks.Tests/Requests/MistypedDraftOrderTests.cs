using System.Text;
using System.Text.Json.Nodes;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.Testing;

namespace BmesCds.CdsHooks.Tests.Requests;

/// <summary>
/// Issue 12, found by the fuzz suite: a draft order whose id is not a string made the engine throw while matching the
/// selections (a 500); the id is now dropped as a tolerated issue, so the call is answered.
/// </summary>
public sealed class MistypedDraftOrderTests
{
    private static readonly HookPipeline Pipeline = HookPipeline.Create(Vocabulary.Terminology);

    [TestCase("[]")]
    [TestCase("1.5")]
    [TestCase("true")]
    public async Task An_order_select_whose_draft_order_id_is_not_a_string_is_answered_without_the_order_matching(string id)
    {
        var request = JsonNode.Parse(LargeRequests.C1())!;
        request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["id"] = JsonNode.Parse(id);

        var outcome = await Pipeline.InvokeAsync(
            Encoding.UTF8.GetBytes(request.ToJsonString()), CdsServiceCatalogue.Find("bmes-order-select")!, new HookEnvironment(SampleClock.SampleNow), CancellationToken.None);

        Assert.That(outcome.Status, Is.EqualTo(200), outcome.Error?.ToString());
        Assert.That(outcome.Response!.Cards, Is.Empty, "the selection names no order whose id can be read");
        Assert.That(outcome.Request!.DraftOrderReadIssues.Select(issue => issue.Location), Has.Some.StartsWith("context.draftOrders.entry[0].resource"));
    }
}
