using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Profiles;

/// <summary>
/// Builds the clinical vocabulary from the ValueSets and CodeSystems of fhir-profiles/, once at start (the service,
/// the command-line tool). Reading and checking the files is <see cref="ProfileArtifacts"/>' job, shared with the
/// validator; any missing or malformed file fails the load with a message naming it: running with half a vocabulary
/// would silently drop cards.
/// </summary>
public static class FhirProfilesLoader
{
    /// <summary>Relative paths are resolved against the application's base directory.</summary>
    public static BmesTerminology Load(string directory)
    {
        var folder = Path.IsPathRooted(directory) ? directory : Path.Combine(AppContext.BaseDirectory, directory);
        ProfileArtifacts artifacts;
        try
        {
            artifacts = ProfileArtifacts.Load(folder);
        }
        catch (ProfileLoadException failure)
        {
            throw new TerminologyException(failure.Message, failure);
        }

        var resources = artifacts.All.Select(artifact => artifact.Resource).ToList();
        return BmesTerminology.Build(resources.OfType<ValueSet>(), resources.OfType<CodeSystem>());
    }
}
