using System.Text.Json.Nodes;
using BmesCds.Clinical.Terminology;

namespace BmesCds.Profiles.Tests;

/// <summary>The discovery of resources in sample files finds what the validation tests must cover (shapes of CDS Hooks JSON).</summary>
public sealed class SampleResourcesTests
{
    [Test]
    public void Response_suggestion_resources_are_found_with_the_profile_of_their_type()
    {
        var response = JsonNode.Parse("""
            {"cards":[{"suggestions":[{"actions":[
              {"type":"delete","resourceId":"ServiceRequest/ct-1"},
              {"type":"create","resource":{"resourceType":"ServiceRequest","id":"mri-1"}}]}]},
             {"suggestions":[{"actions":[{"type":"create","resource":{"resourceType":"Condition"}}]},
                             {"actions":[{"type":"create","resource":{"resourceType":"Observation","meta":{"profile":["https://bmes-cds.org/fhir/StructureDefinition/BmesImagingFinding"]}}}]}]}]}
            """)!.AsObject();

        var found = SampleResources.InResponse("x.response.json", response).ToList();

        Assert.That(found.Select(f => (f.Pointer, f.Profile)), Is.EqualTo(new[]
        {
            ("cards[0].suggestions[0].actions[1].resource", BmesCanonicals.MriServiceRequestProfile),
            ("cards[1].suggestions[0].actions[0].resource", BmesCanonicals.OsteonecrosisConditionProfile),
            ("cards[1].suggestions[1].actions[0].resource", BmesCanonicals.ImagingFindingProfile),
        }));
    }

    [Test]
    public void Request_draftOrders_and_prefetch_are_found_Bundles_entry_by_entry()
    {
        var request = JsonNode.Parse("""
            {"hook":"order-select","context":{"draftOrders":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"ServiceRequest"}}]}},
             "prefetch":{"patient":{"resourceType":"Patient"},"missing":null,
                         "conditions":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Condition"}},{"resource":{"resourceType":"Condition"}}]}}}
            """)!.AsObject();

        var found = SampleResources.InRequest("x.request.json", request).Select(f => f.Pointer).ToList();

        Assert.That(found, Is.EqualTo(new[]
        {
            "context.draftOrders.entry[0].resource",
            "prefetch.patient",
            "prefetch.conditions.entry[0].resource",
            "prefetch.conditions.entry[1].resource",
        }));
    }
}
