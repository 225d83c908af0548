using System.Threading.RateLimiting;

namespace BmesCds.Service.Limits;

/// <summary>
/// A token bucket for one client: <c>perSecond</c> tokens a second, up to one second's worth (at least 1) saved up for
/// a burst. Refilled from <see cref="TimeProvider"/> at each acquisition rather than by a timer, so that it needs no
/// background work and tests can drive it with a fake clock (the framework's limiters read the system clock only).
/// Never queues: a call either goes through at once or is answered 429 with the time until the next token.
/// </summary>
internal sealed class ClientTokenBucket(double perSecond, TimeProvider time) : RateLimiter
{
    private readonly double _capacity = Math.Max(1, Math.Ceiling(perSecond));
    private readonly Lock _lock = new();
    private double _tokens = Math.Max(1, Math.Ceiling(perSecond));
    private DateTimeOffset _refilledAt = time.GetUtcNow();
    private DateTimeOffset _lastAcquired = time.GetUtcNow();

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _tokens >= _capacity ? time.GetUtcNow() - _lastAcquired : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            Refill();
            var needed = Math.Max(permitCount, 1);
            if (_tokens >= needed)
            {
                _tokens -= permitCount;
                _lastAcquired = time.GetUtcNow();
                return Lease.Granted;
            }

            return new Lease(TimeSpan.FromSeconds((needed - _tokens) / perSecond));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var now = time.GetUtcNow();
        var elapsed = (now - _refilledAt).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_capacity, _tokens + (elapsed * perSecond));
        }

        _refilledAt = now;
    }

    /// <summary>Granted (shared, nothing to release) or refused with the time until enough tokens are back.</summary>
    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(null);

        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
