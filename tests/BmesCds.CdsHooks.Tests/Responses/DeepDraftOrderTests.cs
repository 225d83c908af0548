using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BmesCds.CdsHooks.Conformance;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Responses;
using BmesCds.Testing;

namespace BmesCds.CdsHooks.Tests.Responses;

/// <summary>
/// Issue 12, found by the fuzz suite: an update suggestion carries the EHR's draft order, elements the service does not
/// know included; a draft order nested as deep as a request may be made the answer deeper than the JSON writer's
/// default limit, and the call a 500.
/// </summary>
public sealed class DeepDraftOrderTests
{
    [Test]
    public async Task An_update_of_a_draft_order_nested_as_deep_as_a_request_may_be_is_written()
    {
        var limits = new RequestLimits();
        var request = JsonNode.Parse(LargeRequests.C1())!;

        // The order's subject (depth 6 of the body) holds an element the service does not know, nested to the limit.
        JsonNode nested = 1;
        for (var level = 0; level < limits.MaxJsonDepth - 7; level++)
        {
            nested = new JsonObject { ["a"] = nested };
        }

        request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["subject"]!["a"] = nested;
        var body = Encoding.UTF8.GetBytes(request.ToJsonString(new JsonSerializerOptions { MaxDepth = 256 }));

        var outcome = await HookPipeline.Create(Vocabulary.Terminology, limits: limits).InvokeAsync(
            body, CdsServiceCatalogue.Find("bmes-order-select")!, new HookEnvironment(SampleClock.SampleNow, ReplaceAction: ReplaceAction.Update), CancellationToken.None);

        Assert.That(outcome.Status, Is.EqualTo(200), outcome.Error?.ToString());
        var answer = JsonSerializer.Serialize(outcome.Response, CdsJson.Options);
        using var json = JsonDocument.Parse(answer, new JsonDocumentOptions { MaxDepth = 256 });
        Assert.That(ResponseConformance.Check(json.RootElement), Is.Empty);
        Assert.That(answer, Does.Contain("\"type\":\"update\""));
    }
}
