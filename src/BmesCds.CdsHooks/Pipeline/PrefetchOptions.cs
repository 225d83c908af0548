namespace BmesCds.CdsHooks.Pipeline;

/// <summary>
/// How a hook call completes its prefetch (config section "Fhir", shared with the host's fetch limits). The defaults
/// fail closed: a key that cannot be had is a 412, never a silent gap in the record.
/// </summary>
public sealed class PrefetchOptions
{
    public const string Section = "Fhir";

    /// <summary>Time for all fetches of one hook call together (they run in parallel); when it runs out the call gets 412.</summary>
    public double TimeBudgetSeconds { get; set; } = 3;

    /// <summary>What a prefetch key holding an OperationOutcome (the client's own fetch failed) means.</summary>
    public OperationOutcomePolicy OperationOutcomePolicy { get; set; } = OperationOutcomePolicy.Fetch;

    /// <summary>What a failure to get a key other than the patient does to the call.</summary>
    public OptionalKeyFailurePolicy OptionalKeysOnFailure { get; set; } = OptionalKeyFailurePolicy.Fail;

    public TimeSpan TimeBudget => TimeSpan.FromSeconds(TimeBudgetSeconds);

    /// <summary>Why the settings cannot be used, or null.</summary>
    public string? Problem() =>
        TimeBudgetSeconds is <= 0 or > 60 ? "Fhir:TimeBudgetSeconds must be more than 0 and at most 60" : null;
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
