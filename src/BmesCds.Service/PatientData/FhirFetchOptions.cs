namespace BmesCds.Service.PatientData;

/// <summary>
/// The host's limits on reading the EHR's FHIR server (config section "Fhir"; the time budget and the failure policies
/// of the same section are <see cref="BmesCds.CdsHooks.Pipeline.PrefetchOptions"/>).
/// </summary>
public sealed class FhirFetchOptions
{
    public const string Section = "Fhir";

    /// <summary>Most pages read for one prefetch key (a prefetched Bundle counts as its first page); more is a fetch failure.</summary>
    public int MaxPages { get; set; } = 10;

    /// <summary>Most resources read for one prefetch key; more is a fetch failure.</summary>
    public int MaxResources { get; set; } = 2000;

    /// <summary>
    /// Whether a plain-http fhirServer may be used. Off by default (production needs https); on in Development
    /// (appsettings.Development.json) because the CDS Hooks sandbox and local FHIR servers speak http on loopback.
    /// </summary>
    public bool AllowHttp { get; set; }

    /// <summary>Why the settings cannot be used, or null.</summary>
    public string? Problem() =>
        MaxPages < 1 ? "Fhir:MaxPages must be at least 1"
        : MaxResources < 1 ? "Fhir:MaxResources must be at least 1"
        : null;
}
