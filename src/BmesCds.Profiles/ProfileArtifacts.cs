using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BmesCds.Profiles;

/// <summary>One conformance resource of fhir-profiles/ and the file it came from.</summary>
public sealed record ProfileArtifact(string FileName, Resource Resource)
{
    /// <summary>The canonical url of the artifact (every file in fhir-profiles/ has one).</summary>
    public string Url => ((IVersionableConformanceResource)Resource).Url;
}

/// <summary>
/// The parsed contents of fhir-profiles/: StructureDefinitions, ValueSets and CodeSystems as stored (differentials only,
/// never snapshots). Loaded once; a file that does not parse as FHIR R4 JSON fails the load, naming the file.
/// </summary>
public sealed class ProfileArtifacts
{
    // Strict mode: our own artifacts must be exact FHIR R4 JSON. Thread-safe, costly to build: one per process.
    private static readonly FhirJsonDeserializer Deserializer = new();

    private ProfileArtifacts(string directory, IReadOnlyList<ProfileArtifact> all)
    {
        Directory = directory;
        All = all;
    }

    public string Directory { get; }

    public IReadOnlyList<ProfileArtifact> All { get; }

    public IEnumerable<StructureDefinition> StructureDefinitions => All.Select(a => a.Resource).OfType<StructureDefinition>();

    public static ProfileArtifacts Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ProfileLoadException($"The FHIR profiles directory '{directory}' does not exist.");
        }

        var artifacts = System.IO.Directory.EnumerateFiles(directory, "*.json", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .Select(Read)
            .ToList();
        if (artifacts.Count == 0)
        {
            throw new ProfileLoadException($"The FHIR profiles directory '{directory}' has no *.json artifact.");
        }

        var duplicate = artifacts.GroupBy(a => a.Url, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? new ProfileArtifacts(directory, artifacts)
            : throw new ProfileLoadException($"'{duplicate.Key}' is defined by {string.Join(" and ", duplicate.Select(a => a.FileName))}.");
    }

    private static ProfileArtifact Read(string path)
    {
        var fileName = Path.GetFileName(path);
        Resource resource;
        try
        {
            resource = Deserializer.DeserializeResource(File.ReadAllText(path));
        }
        catch (DeserializationFailedException failure)
        {
            throw new ProfileLoadException($"{fileName} is not valid FHIR R4 JSON: {failure.Message}", failure);
        }

        if (resource is not IVersionableConformanceResource { Url: { Length: > 0 } })
        {
            throw new ProfileLoadException($"{fileName} is not a conformance resource with a url.");
        }

        return new ProfileArtifact(fileName, resource);
    }
}

/// <summary>fhir-profiles/ cannot be loaded: the service must not start without its conformance resources.</summary>
public sealed class ProfileLoadException : Exception
{
    public ProfileLoadException()
    {
    }

    public ProfileLoadException(string message)
        : base(message)
    {
    }

    public ProfileLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
