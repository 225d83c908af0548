namespace BmesCds.Service.Hosting;

/// <summary>The host's part of section <c>Requests</c> (the parser's limits are <c>RequestLimits</c>): the time limit of a request.</summary>
public sealed class RequestTimeOptions
{
    public const string Section = "Requests";

    /// <summary>Longest a request may take, in seconds: when it runs out, whatever the call waits for (its body, the JWKS
    /// endpoint, the FHIR server) is abandoned and the answer is 408 with an OperationOutcome. More than
    /// `Fhir:TimeBudgetSeconds`, at most 300.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    public string? Problem(double fetchBudgetSeconds) =>
        TimeoutSeconds is <= 0 or > 300 || TimeoutSeconds <= fetchBudgetSeconds
            ? $"Requests:TimeoutSeconds must be more than Fhir:TimeBudgetSeconds ({fetchBudgetSeconds}) and at most 300 (got {TimeoutSeconds})."
            : null;
}
