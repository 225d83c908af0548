namespace BmesCds.Service.Memory;

/// <summary>
/// When to give memory back, from the bytes the process has allocated so far, sampled once per interval: after a burst
/// (at least <see cref="BurstBytes"/> allocated since the last trim, or since the start), at the first interval in which
/// at most <see cref="IdleBytes"/> were allocated. Under steady load no interval is idle, so nothing is trimmed while the
/// pools are in use; a trickle of calls trims at most once per <see cref="BurstBytes"/> allocated.
/// </summary>
internal sealed class IdleTrimPolicy
{
    /// <summary>About 7,000 C1 calls, or 400 calls of 1,000 resources: well past what probes and scrapes allocate.</summary>
    public const long BurstBytes = 256L * 1024 * 1024;

    /// <summary>Health probes and a metrics scrape allocate well under this per interval; a single C1 call about 36 KB.</summary>
    public const long IdleBytes = 4L * 1024 * 1024;

    private long _lastSample;
    private long _sinceTrim;

    /// <summary>Takes the next sample (GC.GetTotalAllocatedBytes); true when the memory should be given back now.</summary>
    public bool ShouldTrim(long allocatedSoFar)
    {
        var allocated = Math.Max(0, allocatedSoFar - _lastSample);
        _lastSample = allocatedSoFar;
        _sinceTrim += allocated;
        if (_sinceTrim < BurstBytes || allocated > IdleBytes)
        {
            return false;
        }

        _sinceTrim = 0;
        return true;
    }
}
