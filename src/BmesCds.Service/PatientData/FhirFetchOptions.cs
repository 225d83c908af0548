namespace BmesCds.Service.PatientData;

/// <summary>
/// How the service completes prefetch from the EHR's FHIR server (config section "Fhir").
/// The defaults fail closed: a key that cannot be had is a 412, never a silent gap in the record.
/// </summary>
public sealed class FhirFetchOptions
{
    public const string Section = "Fhir";

    /// <summary>Time for all fetches of one hook call together (they run in parallel); when it runs out the call gets 412.</summary>
    public double TimeBudgetSeconds { get; set; } = 3;

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

    /// <summary>What a prefetch key holding an OperationOutcome (the client's own fetch failed) means.</summary>
    public OperationOutcomePolicy OperationOutcomePolicy { get; set; } = OperationOutcomePolicy.Fetch;

    /// <summary>What a failure to get a key other than the patient does to the call.</summary>
    public OptionalKeyFailurePolicy OptionalKeysOnFailure { get; set; } = OptionalKeyFailurePolicy.Fail;

    public TimeSpan TimeBudget => TimeSpan.FromSeconds(TimeBudgetSeconds);

    /// <summary>Why the settings cannot be used, or null.</summary>
    public string? Problem() =>
        TimeBudgetSeconds is <= 0 or > 60 ? "Fhir:TimeBudgetSeconds must be more than 0 and at most 60"
        : MaxPages < 1 ? "Fhir:MaxPages must be at least 1"
        : MaxResources < 1 ? "Fhir:MaxResources must be at least 1"
        : MaxBytesPerAnswer < 1024 ? "Fhir:MaxBytesPerAnswer must be at least 1024"
        : MaxBytesPerCall < MaxBytesPerAnswer ? "Fhir:MaxBytesPerCall must be at least Fhir:MaxBytesPerAnswer"
        : AllowedServersProblem();

    private string? AllowedServersProblem()
    {
        try
        {
            _ = FhirServers.FhirServerAllowList.From(AllowedServers, "Fhir:AllowedServers", isDevelopment: false);
            return null;
        }
        catch (InvalidOperationException bad)
        {
            return bad.Message;
        }
    }
}

/// <summary>What to do with a prefetch key whose value is an OperationOutcome.</summary>
public enum OperationOutcomePolicy
{
    /// <summary>Treat it as absent: fetch the key from fhirServer.</summary>
    Fetch,

    /// <summary>The key has failed: 412 naming it (or, for a key other than the patient, no data under Degrade).</summary>
    Fail,
}

/// <summary>What to do when a key other than the patient cannot be had.</summary>
public enum OptionalKeyFailurePolicy
{
    /// <summary>Answer 412 naming the key and the reason: no advice is better than advice from a partial record.</summary>
    Fail,

    /// <summary>Go on as if the key held no data (the failure is logged).</summary>
    Degrade,
}
