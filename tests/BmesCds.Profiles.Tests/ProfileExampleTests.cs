using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Profiles.Tests;

/// <summary>The examples in samples/profiles: one valid instance of each BMES profile.</summary>
public sealed class ProfileExampleTests
{
    private static readonly string[] Profiles =
        [BmesCanonicals.MriServiceRequestProfile, BmesCanonicals.OsteonecrosisConditionProfile, BmesCanonicals.ImagingFindingProfile];

    private static IEnumerable<string> Examples() =>
        Directory.EnumerateFiles(Path.Combine(Repository.SamplesDirectory, "profiles"), "*.json")
            .Select(Repository.Relative)
            .Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(Examples))]
    public void Example_validates_against_its_profile_without_errors(string file)
    {
        var resource = Repository.ReadResource(file);
        var profile = resource.Meta?.Profile.SingleOrDefault();
        Assume.That(profile, Is.Not.Null, $"{file} names its profile in meta.profile");

        var outcome = SharedValidator.Instance.Validate(resource, profile!);

        Assert.That(outcome.Errors(), Is.Empty, outcome.Errors().Describe());
    }

    [Test]
    public void Every_profile_has_an_example()
    {
        var exemplified = Examples().Select(f => Repository.ReadResource(f).Meta?.Profile.FirstOrDefault()).ToList();

        Assert.That(exemplified, Is.SupersetOf(Profiles));
    }
}
