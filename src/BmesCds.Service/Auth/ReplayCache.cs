using System.Collections.Concurrent;
using StackExchange.Redis;

namespace BmesCds.Service.Auth;

/// <summary>The shared replay cache cannot be reached: the call is refused with 503, never let through unchecked.</summary>
internal sealed class ReplayCacheUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Remembers token ids (jti) until their token expires, so a captured token cannot be sent twice.</summary>
internal interface IReplayCache
{
    /// <summary>True the first time <paramref name="key"/> is seen before <paramref name="expiresAt"/>; false for a replay.</summary>
    ValueTask<bool> TryRegisterAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

/// <summary>The default: one process. Behind several instances use <see cref="RedisReplayCache"/>.</summary>
internal sealed class InMemoryReplayCache(TimeProvider time) : IReplayCache
{
    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private int _registrations;

    public ValueTask<bool> TryRegisterAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Interlocked.Increment(ref _registrations) % SweepEvery == 0)
        {
            Sweep(now);
        }

        while (true)
        {
            if (_seen.TryAdd(key, expiresAt))
            {
                return ValueTask.FromResult(true);
            }

            if (!_seen.TryGetValue(key, out var existing))
            {
                continue;
            }

            if (existing > now)
            {
                return ValueTask.FromResult(false);
            }

            // The remembered token has expired: this is a new registration, if no other thread took it first.
            if (_seen.TryUpdate(key, expiresAt, existing))
            {
                return ValueTask.FromResult(true);
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, expiry) in _seen)
        {
            if (expiry <= now)
            {
                _seen.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, expiry));
            }
        }
    }
}

/// <summary>Shared by every instance. SET key NX with an expiry is one atomic step, so two instances receiving the same
/// token at the same moment cannot both accept it (IDistributedCache's get-then-set could).</summary>
internal sealed class RedisReplayCache(IConnectionMultiplexer redis, TimeProvider time) : IReplayCache
{
    private const string KeyPrefix = "bmes-cds:jti:";

    public async ValueTask<bool> TryRegisterAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var ttl = expiresAt - time.GetUtcNow();
        if (ttl <= TimeSpan.Zero)
        {
            ttl = TimeSpan.FromSeconds(1);
        }

        try
        {
            return await redis.GetDatabase()
                .StringSetAsync(KeyPrefix + key, "1", ttl, When.NotExists)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new ReplayCacheUnavailableException("Redis replay cache unavailable", ex);
        }
    }
}
