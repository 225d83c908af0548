using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BmesCds.Profiles;

/// <summary>
/// Reads the ValueSets and CodeSystems of fhir-profiles/ into the clinical vocabulary, once at start (the service, the
/// command-line tool). Any missing or malformed file fails the load with a message naming it: running with half a
/// vocabulary would silently drop cards.
/// </summary>
public static class FhirProfilesLoader
{
    // Our own artifacts must be valid FHIR: read them strictly.
    private static readonly FhirJsonDeserializer Strict = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));

    /// <summary>Relative paths are resolved against the application's base directory.</summary>
    public static BmesTerminology Load(string directory)
    {
        var folder = Path.IsPathRooted(directory) ? directory : Path.Combine(AppContext.BaseDirectory, directory);
        if (!System.IO.Directory.Exists(folder))
        {
            throw new TerminologyException($"The terminology folder '{folder}' does not exist.");
        }

        var valueSets = ReadAll<ValueSet>(folder, "ValueSet-*.json");
        var codeSystems = ReadAll<CodeSystem>(folder, "CodeSystem-*.json");
        return BmesTerminology.Build(valueSets, codeSystems);
    }

    private static List<T> ReadAll<T>(string folder, string pattern)
        where T : Resource
    {
        var resources = new List<T>();
        foreach (var file in System.IO.Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal))
        {
            try
            {
                resources.Add(Strict.Deserialize<T>(File.ReadAllText(file)));
            }
            catch (Exception failure) when (failure is DeserializationFailedException or FormatException or InvalidCastException)
            {
                throw new TerminologyException($"'{Path.GetFileName(file)}' is not a valid FHIR {typeof(T).Name}: {failure.Message}", failure);
            }
        }

        return resources;
    }
}
