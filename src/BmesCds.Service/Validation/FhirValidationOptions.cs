namespace BmesCds.Service.Validation;

/// <summary>What the service does with FHIR resources it receives (draftOrders, prefetch) that fail base R4 validation.</summary>
public enum IncomingValidationMode
{
    /// <summary>Not validated (default): the clinical engine reads leniently and ignores what it cannot use.</summary>
    Off,

    /// <summary>Validated; each issue is logged with its location (never the value); the request goes on.</summary>
    Warn,

    /// <summary>Validated; a resource with an error fails the request with 400 and the OperationOutcome.</summary>
    Strict,
}

/// <summary>Configuration section <c>Validation</c>.</summary>
public sealed class FhirValidationOptions
{
    public const string Section = "Validation";

    /// <summary><c>Validation:Incoming</c> = Off | Warn | Strict.</summary>
    public IncomingValidationMode Incoming { get; set; } = IncomingValidationMode.Off;

    /// <summary><c>Validation:ProfilesDirectory</c>: the fhir-profiles folder; default: the one shipped beside the binary.</summary>
    public string? ProfilesDirectory { get; set; }

    public string ResolvedProfilesDirectory =>
        string.IsNullOrWhiteSpace(ProfilesDirectory) ? Path.Combine(AppContext.BaseDirectory, "fhir-profiles") : ProfilesDirectory;
}
