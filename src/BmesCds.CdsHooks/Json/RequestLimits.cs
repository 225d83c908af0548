namespace BmesCds.CdsHooks.Json;

/// <summary>
/// Bounds on what one request may carry (config section "Requests"). Each bound is named in the refusal, so a client
/// that meets one knows which setting it hit. The defaults are far above what an EHR sends for one patient.
/// </summary>
public sealed class RequestLimits
{
    public const string Section = "Requests";

    /// <summary>The highest <see cref="MaxJsonDepth"/> that may be configured.</summary>
    public const int HighestMaxJsonDepth = 256;

    /// <summary>Largest accepted body in bytes; larger ones get 413. A hook with a generous prefetch is well under 1 MB.</summary>
    public long MaxBodyBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Deepest JSON nesting (objects and arrays) anywhere in a body; FHIR resources nest about 10 deep.</summary>
    public int MaxJsonDepth { get; set; } = 64;

    /// <summary>Longest JSON string or property name, in bytes as sent (report text is the longest real string).</summary>
    public int MaxStringBytes { get; set; } = 1024 * 1024;

    /// <summary>Most resources in all prefetch values together (Bundle entries counted one by one).</summary>
    public int MaxPrefetchResources { get; set; } = 10_000;

    /// <summary>Most entries in context.draftOrders.</summary>
    public int MaxDraftOrders { get; set; } = 500;

    /// <summary>Most references in context.selections.</summary>
    public int MaxSelections { get; set; } = 500;

    /// <summary>Why the settings cannot be used, or null.</summary>
    public string? Problem() =>
        MaxBodyBytes < 1024 ? "Requests:MaxBodyBytes must be at least 1024"
        : MaxJsonDepth is < 16 or > HighestMaxJsonDepth ? $"Requests:MaxJsonDepth must be between 16 and {HighestMaxJsonDepth}"
        : MaxStringBytes < 1024 ? "Requests:MaxStringBytes must be at least 1024"
        : MaxPrefetchResources < 1 ? "Requests:MaxPrefetchResources must be at least 1"
        : MaxDraftOrders < 1 ? "Requests:MaxDraftOrders must be at least 1"
        : MaxSelections < 1 ? "Requests:MaxSelections must be at least 1"
        : null;
}
