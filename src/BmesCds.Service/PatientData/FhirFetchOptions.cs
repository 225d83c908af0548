using BmesCds.Service.FhirServers;

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

    /// <summary>
    /// The FHIR server base URLs a request may name when authentication is disabled (Auth:Mode Disabled); with
    /// authentication each trusted client has its own list (Auth:TrustedClients:N:FhirServers). Empty: none, except
    /// in Development, where any loopback server is allowed.
    /// </summary>
    public IList<string> AllowedServers { get; } = [];

    /// <summary>
    /// Whether the FHIR client may connect to private, link-local, shared and other non-public addresses (loopback
    /// included). Checked after name resolution, at connect time, whatever the allow-lists say.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Whether the FHIR client may connect to this machine (127.0.0.0/8, ::1). On in appsettings.Development.json.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Bytes all FHIR answers of one hook call may take together; the key whose answer crosses it fails (412).</summary>
    public long MaxBytesPerCall { get; set; } = 16 * 1024 * 1024;

    /// <summary>Bytes one FHIR answer (one page) may take; reading stops there and the key fails (412).</summary>
    public long MaxBytesPerAnswer { get; set; } = 4 * 1024 * 1024;

    /// <summary>Why the settings cannot be used, or null.</summary>
    public string? Problem() =>
        MaxPages < 1 ? "Fhir:MaxPages must be at least 1"
        : MaxResources < 1 ? "Fhir:MaxResources must be at least 1"
        : MaxBytesPerAnswer is < 1024 or > int.MaxValue ? "Fhir:MaxBytesPerAnswer must be at least 1024 and less than 2 GB"
        : MaxBytesPerCall < MaxBytesPerAnswer ? "Fhir:MaxBytesPerCall must be at least Fhir:MaxBytesPerAnswer"
        : AllowedServersProblem();

    private string? AllowedServersProblem()
    {
        try
        {
            _ = FhirServerAllowList.From(AllowedServers, "Fhir:AllowedServers", isDevelopment: false);
            return null;
        }
        catch (InvalidOperationException bad)
        {
            return bad.Message;
        }
    }
}
