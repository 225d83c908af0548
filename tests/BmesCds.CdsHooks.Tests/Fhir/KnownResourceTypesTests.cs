using System.Text;
using BmesCds.CdsHooks.Fhir;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Tests.Fhir;

/// <summary>The walk's type check compares a resourceType's bytes with the known names: every name, and nothing else.</summary>
public class KnownResourceTypesTests
{
    private static readonly List<string> Known = [.. Enum.GetValues<ResourceType>().Select(ModelInfo.ResourceTypeToFhirTypeName).OfType<string>().Where(KnownResourceTypes.IsKnown)];

    [Test]
    public void Every_known_name_is_found_from_its_bytes_as_the_one_shared_string()
    {
        Assert.That(Known, Has.Count.GreaterThan(140));
        foreach (var name in Known)
        {
            var found = KnownResourceTypes.Find(Encoding.UTF8.GetBytes(name));
            Assert.That(found, Is.EqualTo(name));
            Assert.That(ReferenceEquals(found, KnownResourceTypes.Find(Encoding.UTF8.GetBytes(name))), Is.True, name);
        }
    }

    [TestCase("")]
    [TestCase("observation")]
    [TestCase("OBSERVATION")]
    [TestCase("Observatio")]
    [TestCase("Observations")]
    [TestCase("Observ\u00e4tion")]
    [TestCase("Patient ")]
    [TestCase("Resource")]
    [TestCase("DomainResource")]
    public void Near_misses_are_not_types(string text) =>
        Assert.That(KnownResourceTypes.Find(Encoding.UTF8.GetBytes(text)), Is.Null);

    [TestCase("Resource")]
    [TestCase("DomainResource")]
    public void The_abstract_base_types_are_not_resource_types(string name) =>
        Assert.That(KnownResourceTypes.IsKnown(name), Is.False);

    [Test]
    public void A_name_longer_than_any_type_is_not_one() =>
        Assert.That(KnownResourceTypes.Find(Encoding.UTF8.GetBytes(new string('A', 300))), Is.Null);
}
