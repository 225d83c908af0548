namespace BmesCds.Service.Http;

/// <summary>Limits on request bodies (config section "Requests").</summary>
public sealed class RequestBodyOptions
{
    /// <summary>Largest accepted body; larger ones get 413. A hook with a generous prefetch is well under 1 MB.</summary>
    public long MaxBodyBytes { get; set; } = 5 * 1024 * 1024;
}
