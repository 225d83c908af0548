using BmesCds.Clinical.Terminology;
using BmesCds.Profiles;

namespace BmesCds.Testing;

/// <summary>The repository's fhir-profiles vocabulary, loaded once per test run.</summary>
public static class Vocabulary
{
    private static readonly Lazy<BmesTerminology> Loaded = new(() => FhirProfilesLoader.Load(Repository.ProfilesDirectory));

    public static BmesTerminology Terminology => Loaded.Value;
}
