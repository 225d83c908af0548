using System.Text;
using System.Text.Json.Nodes;
using BmesCds.CdsHooks.Fhir;
using BmesCds.Testing;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BmesCds.CdsHooks.Tests.Fhir;

/// <summary>
/// The fast POCO reader gives exactly what Firely's deserializer gives, on every resource of the repository (samples,
/// their patients and answers, profile examples, sandbox captures), or leaves the resource to Firely.
/// </summary>
public class FhirPocoReaderTests
{
    private static readonly FhirJsonDeserializer Firely = new(new DeserializerSettings { Validator = null });

    internal static IEnumerable<(string Source, JsonObject Resource)> Corpus()
    {
        var files = Directory.EnumerateFiles(Repository.Samples, "*.json", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Repository.SandboxCaptures, "*.json"));
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            foreach (var resource in Resources(JsonNode.Parse(File.ReadAllText(file))))
            {
                yield return (Repository.Relative(file), resource);
            }
        }
    }

    // Every object with a resourceType that is not a Bundle, wherever it sits.
    private static IEnumerable<JsonObject> Resources(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["resourceType"] is JsonValue type && type.TryGetValue<string>(out var name) && KnownResourceTypes.IsKnown(name) && name != "Bundle")
                {
                    yield return obj;
                    yield break;
                }

                foreach (var (_, child) in obj)
                {
                    foreach (var found in Resources(child))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    foreach (var found in Resources(child))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }

    [Test]
    public void Every_resource_the_fast_reader_reads_equals_what_firely_reads()
    {
        var read = 0;
        var total = 0;
        foreach (var (source, resource) in Corpus())
        {
            total++;
            var json = resource.ToJsonString();
            var fast = FhirPocoReader.Read(Encoding.UTF8.GetBytes(json), resource["resourceType"]!.GetValue<string>());
            if (fast is null)
            {
                continue;
            }

            read++;
            Firely.TryDeserializeResource(json, out var expected, out _);
            Assert.That(FhirJson.ToUtf8(fast), Is.EqualTo(FhirJson.ToUtf8(expected!)), $"{source}: {resource["resourceType"]}/{resource["id"]}");
        }

        Assert.That(total, Is.GreaterThan(300), "the corpus is the repository's samples");
        Assert.That(read, Is.GreaterThan(total * 9 / 10), $"the fast reader reads {read} of {total} resources itself");
    }

    [Test]
    public void Every_concrete_resource_type_is_read_by_the_fast_reader()
    {
        // Its element table is built from Firely's metadata; a table that could not be built (two elements with one
        // JSON name, say) would quietly send every resource of that type to Firely's slower reader.
        var types = Enum.GetValues<ResourceType>().Select(ModelInfo.ResourceTypeToFhirTypeName).OfType<string>().Where(KnownResourceTypes.IsKnown).ToList();
        var leftToFirely = types.Where(type => FhirPocoReader.Read(Encoding.UTF8.GetBytes($$$"""{"resourceType":"{{{type}}}","id":"a","meta":{"versionId":"1"}}"""), type) is null).ToList();

        Assert.That(types, Has.Count.GreaterThan(140));
        Assert.That(leftToFirely, Is.Empty);
    }

    [TestCase("""{"resourceType":"Condition","code":{"coding":[{}]}}""", "an empty object")]
    [TestCase("""{"resourceType":"Condition","category":[]}""", "an empty array")]
    [TestCase("""{"resourceType":"Condition","onsetDateTime":"2026-01-01","onsetString":"then"}""", "two forms of one choice")]
    [TestCase("""{"resourceType":"Condition","recordedDate":"2026-01-01","_recordedDate":{"extension":[]}}""", "a primitive extension")]
    [TestCase("""{"resourceType":"Condition","unknownElement":1}""", "an unknown element")]
    [TestCase("""{"resourceType":"Condition","recordedDate":42}""", "a number for a string")]
    [TestCase("""{"resourceType":"Condition","code":"x"}""", "a string for an object")]
    [TestCase("""{"resourceType":"Condition","category":{"text":"x"}}""", "an object for an array")]
    [TestCase("""{"resourceType":"Condition","note":[{"text":"a"},null]}""", "a null in an array")]
    [TestCase("""{"resourceType":"Condition","id":""}""", "an empty string")]
    public void What_firely_judges_is_left_to_firely(string json, string what) =>
        Assert.That(FhirPocoReader.Read(Encoding.UTF8.GetBytes(json), "Condition"), Is.Null, what);

    [Test]
    public void Contained_resources_choice_elements_enums_and_numbers_are_read()
    {
        var json = """
            {"resourceType":"MedicationRequest","id":"m","status":"active","intent":"order",
             "contained":[{"resourceType":"Medication","id":"med","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"8640"}]}}],
             "medicationReference":{"reference":"#med"},
             "dosageInstruction":[{"sequence":1,"doseAndRate":[{"doseQuantity":{"value":20.50,"unit":"mg"}}]}]}
            """;
        var request = (MedicationRequest)FhirPocoReader.Read(Encoding.UTF8.GetBytes(json), "MedicationRequest")!;
        Assert.Multiple(() =>
        {
            Assert.That(request.Status, Is.EqualTo(MedicationRequest.MedicationrequestStatus.Active));
            Assert.That(((Medication)request.Contained.Single()).Code!.Coding[0].Code, Is.EqualTo("8640"));
            Assert.That(((ResourceReference)request.Medication).Reference, Is.EqualTo("#med"));
            Assert.That(request.DosageInstruction[0].Sequence, Is.EqualTo(1));
            Assert.That(((Quantity)request.DosageInstruction[0].DoseAndRate[0].Dose!).Value, Is.EqualTo(20.50m));
        });
    }
}
