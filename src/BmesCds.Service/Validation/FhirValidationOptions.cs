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

    /// <summary>What is done with draftOrders and prefetch resources that fail base R4 validation: `Off` (not validated),
    /// `Warn` (issues logged with their locations, never values), `Strict` (400 with the OperationOutcome). The validator is
    /// warmed at start in the background and `/health/ready` waits for it.</summary>
    public IncomingValidationMode Incoming { get; set; } = IncomingValidationMode.Off;

    // The profiles are read from the one fhir-profiles folder, Terminology:Directory (Validation:ProfilesDirectory is its old name).
}
