using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BmesCds.Profiles.Tests;

/// <summary>Paths of the repository the tests run in, and strict reading of its FHIR JSON files.</summary>
internal static class Repository
{
    private static readonly FhirJsonDeserializer Deserializer = new();

    public static string Root { get; } = FindRoot();

    public static string ProfilesDirectory => Path.Combine(Root, "fhir-profiles");

    public static string SamplesDirectory => Path.Combine(Root, "samples");

    /// <summary>Path relative to the repository root, with forward slashes: readable test names.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    public static string Full(string relativePath) => Path.Combine(Root, relativePath);

    public static Resource ReadResource(string relativePath) => Deserializer.DeserializeResource(File.ReadAllText(Full(relativePath)));

    public static T ReadResource<T>(string relativePath)
        where T : Resource => (T)ReadResource(relativePath);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BmesCds.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("BmesCds.sln not found above the test directory.");
    }
}
