using System.Text.Json.Nodes;
using BmesCds.Clinical.Tests.Support;

namespace BmesCds.Clinical.Tests.Cases;

/// <summary>Same facts in, same cards out: whether the resources came as prefetch keys or as one fetched Bundle, in any order.</summary>
public class SameFactsTests
{
    [Test]
    public void Every_sample_gives_the_same_cards_when_its_record_arrives_as_one_shuffled_server_bundle()
    {
        foreach (var file in Fixtures.CaseFiles())
        {
            var json = File.ReadAllText(file);
            var request = Fixtures.ToRequest(json);
            var expected = Fixtures.Engine().Evaluate(request).Select(CardDump.Describe).ToList();

            var root = JsonNode.Parse(json)!;
            var prefetch = root["prefetch"]!.AsObject();
            var resources = new List<JsonNode>();
            foreach (var (_, value) in prefetch)
            {
                if (value?["resourceType"]?.GetValue<string>() == "Bundle")
                {
                    resources.AddRange(value["entry"]!.AsArray().Select(entry => entry!["resource"]!.DeepClone()));
                }
                else if (value is not null)
                {
                    resources.Add(value.DeepClone());
                }
            }

            foreach (var seed in new[] { 1, 2, 3 })
            {
                var random = new Random(seed);
                var shuffled = resources.OrderBy(_ => random.Next()).Select(resource => resource.DeepClone()).ToList();
                var record = ReadAsOneBundle(shuffled);
                var fetched = Fixtures.Engine().Evaluate(request with { Record = record }).Select(CardDump.Describe).ToList();
                Assert.That(fetched, Is.EqualTo(expected), $"{Path.GetFileName(file)}, shuffle {seed}");
            }
        }
    }

    private static BmesCds.Clinical.Engine.PatientRecord ReadAsOneBundle(List<JsonNode> resources)
    {
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["entry"] = new JsonArray([.. resources.Select(resource => (JsonNode)new JsonObject { ["resource"] = resource })]),
        };
        return Fixtures.ReadRecord(bundle.ToJsonString()).Record!;
    }
}
