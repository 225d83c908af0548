using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BmesCds.Profiles.Tests;

/// <summary>Paths of the repository the tests run in (from BmesCds.Testing), and strict reading of its FHIR JSON files.</summary>
internal static class Repository
{
    private static readonly FhirJsonDeserializer Deserializer = new();

    public static string Root => BmesCds.Testing.Repository.Root;

    public static string ProfilesDirectory => BmesCds.Testing.Repository.ProfilesDirectory;

    public static string SamplesDirectory => BmesCds.Testing.Repository.Samples;

    /// <summary>Path relative to the repository root, with forward slashes: readable test names.</summary>
    public static string Relative(string path) => BmesCds.Testing.Repository.Relative(path);

    public static string Full(string relativePath) => Path.Combine(Root, relativePath);

    public static Resource ReadResource(string relativePath) => Deserializer.DeserializeResource(File.ReadAllText(Full(relativePath)));

    public static T ReadResource<T>(string relativePath)
        where T : Resource => (T)ReadResource(relativePath);
}
