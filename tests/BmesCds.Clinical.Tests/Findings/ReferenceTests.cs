using BmesCds.Clinical.Findings;

namespace BmesCds.Clinical.Tests.Findings;

/// <summary>A reference's "Type/id" tail, as the rules match references: relative, absolute, versioned or odd.</summary>
public class ReferenceTests
{
    [TestCase("Condition/1", "Condition/1")]
    [TestCase("http://ehr.example/fhir/Condition/1", "Condition/1")]
    [TestCase("Condition/1/_history/2", "Condition/1")]
    [TestCase("http://ehr.example/fhir/Condition/1/_history/2/", "Condition/1")]
    [TestCase("Condition/1/_history", "Condition/1")]
    [TestCase("Condition/1/", "Condition/1")]
    [TestCase("_history/Condition/1", "Condition/1")]
    [TestCase("a/_history", "a/_history")]
    [TestCase("a//b", "/b")]
    [TestCase("c1", "c1")]
    [TestCase("#med", "#med")]
    [TestCase("///", "///")]
    [TestCase("Condition/1/_history/2/_history/3", "Condition/1")]
    public void A_reference_normalises_to_its_type_and_id(string reference, string expected) =>
        Assert.That(FhirFacts.Normalize(reference), Is.EqualTo(expected));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void No_reference_normalises_to_nothing(string? reference) =>
        Assert.That(FhirFacts.Normalize(reference), Is.Null);
}
