namespace BmesCds.Service.Memory;

/// <summary>Section <c>Memory</c>: when the service gives back the memory a burst of calls left behind.</summary>
public sealed class MemoryOptions
{
    public const string Section = "Memory";

    /// <summary>Seconds between looks at how much the service allocated: after a burst of calls, the first such interval
    /// with almost no allocation empties Kestrel's buffer pool and the request body pool and runs one compacting
    /// collection, so that the process gives the memory back to the system. 0 switches this off; at most 3600.</summary>
    public int IdleTrimSeconds { get; set; } = 5;

    public string? Problem() =>
        IdleTrimSeconds is < 0 or > 3600 ? $"Memory:IdleTrimSeconds must be 0 (off) or 1-3600 (got {IdleTrimSeconds})." : null;
}
