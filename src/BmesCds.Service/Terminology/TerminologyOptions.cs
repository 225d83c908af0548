namespace BmesCds.Service.Terminology;

/// <summary>Where the clinical vocabulary is read from (config section "Terminology").</summary>
public sealed class TerminologyOptions
{
    /// <summary>The fhir-profiles folder; relative paths are resolved against the application's base directory.</summary>
    public string Directory { get; set; } = "fhir-profiles";
}
