namespace BmesCds.Service.Terminology;

/// <summary>Configuration section <c>Terminology</c>: the one folder of the service's FHIR artifacts.</summary>
public sealed class TerminologyOptions
{
    public const string Section = "Terminology";

    /// <summary>The fhir-profiles folder (ValueSets, CodeSystems and the profiles the validator uses); relative to the binary unless absolute.</summary>
    public string Directory { get; set; } = "fhir-profiles";

    /// <summary>The folder as an absolute path.</summary>
    public string ResolvedDirectory =>
        Path.IsPathRooted(Directory) ? Directory : Path.Combine(AppContext.BaseDirectory, Directory);

    public string? Problem() =>
        string.IsNullOrWhiteSpace(Directory) ? "Terminology:Directory must name the fhir-profiles folder." : null;
}
