using Hl7.Fhir.Serialization;

namespace BmesCds.Profiles.Tests;

/// <summary>
/// Every resource in samples/ is held to FHIR: card suggestions to their BMES profile, everything else to base R4.
/// New sample files are picked up by shape (see SampleResources); nothing here names a sample.
/// </summary>
public sealed class SampleValidationTests
{
    private static readonly FhirJsonDeserializer Deserializer = new();

    private static IEnumerable<SampleResource> Suggestions() => SampleResources.SuggestionResources();

    private static IEnumerable<SampleResource> Others() => SampleResources.BaseResources();

    [Test]
    public void Samples_are_found()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SampleResources.Files(), Is.Not.Empty);
            Assert.That(Others().Count(), Is.GreaterThanOrEqualTo(3), "at least the examples of samples/profiles");
        });
    }

    [TestCaseSource(nameof(Suggestions))]
    public void Card_suggestion_resource_validates_against_its_profile(SampleResource sample)
    {
        var resource = Deserializer.DeserializeResource(sample.Json);

        var outcome = sample.Profile is null ? SharedValidator.Instance.Validate(resource) : SharedValidator.Instance.Validate(resource, sample.Profile);

        Assert.That(outcome.Errors(), Is.Empty, outcome.Errors().Describe());
    }

    [TestCaseSource(nameof(Others))]
    public void Sample_resource_validates_against_base_R4(SampleResource sample)
    {
        var resource = Deserializer.DeserializeResource(sample.Json);

        var outcome = SharedValidator.Instance.Validate(resource);

        Assert.That(outcome.Errors(), Is.Empty, outcome.Errors().Describe());
    }
}
