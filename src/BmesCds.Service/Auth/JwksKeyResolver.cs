using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace BmesCds.Service.Auth;

internal enum KeyLookup
{
    Found,
    UnknownKid,
    SourceUnavailable,
}

/// <summary>Finds the key for a kid: in the issuer's pinned keys, else in its JWK Set fetched from <c>jku</c> (already
/// allow-listed by the caller) or its configured JwksUrl. Fetched sets are cached; an unknown kid triggers a refresh at most
/// once per <see cref="CdsClientAuthOptions.JwksRefreshMinIntervalSeconds"/> per issuer and URL.</summary>
internal sealed class JwksKeyResolver(
    IHttpClientFactory httpClientFactory,
    IOptions<CdsClientAuthOptions> options,
    TimeProvider time,
    ILogger<JwksKeyResolver> logger)
{
    public const string HttpClientName = "BmesCds.Auth.Jwks";

    /// <summary>A JWK Set is small; a bigger answer is refused rather than buffered.</summary>
    public const int MaxJwksBytes = 64 * 1024;

    /// <summary>An issuer whose allow-listed prefix admits many jku URLs keeps only this many fetched sets.</summary>
    private const int MaxSetsPerIssuer = 8;

    private readonly ConcurrentDictionary<string, IssuerKeys> _issuers = new(StringComparer.Ordinal);

    public async Task<(KeyLookup Result, JsonWebKey? Key)> ResolveAsync(TrustedClient client, string kid, Uri? jku, CancellationToken cancellationToken)
    {
        if (client.HasPinnedKeys)
        {
            return client.PinnedKeys.TryGetValue(kid, out var pinned) ? (KeyLookup.Found, pinned) : (KeyLookup.UnknownKid, null);
        }

        var url = jku ?? client.JwksUrl;
        if (url is null)
        {
            return (KeyLookup.UnknownKid, null);
        }

        var settings = options.Value;
        var state = _issuers.GetOrAdd(client.Issuer, _ => new IssuerKeys());
        if (state.Sets.TryGetValue(url, out var cached)
            && time.GetUtcNow() - cached.FetchedAt < TimeSpan.FromSeconds(settings.JwksCacheSeconds)
            && cached.Keys.TryGetValue(kid, out var fresh))
        {
            return (KeyLookup.Found, fresh);
        }

        var refresh = state.JoinOrStart(url, time.GetUtcNow(), TimeSpan.FromSeconds(settings.JwksRefreshMinIntervalSeconds), () => RefreshAsync(client.Issuer, url, state));
        if (refresh is null)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation(
                    "JWKS refresh for issuer {Issuer} skipped: last fetch less than {Seconds}s ago",
                    client.Issuer, settings.JwksRefreshMinIntervalSeconds);
            }
        }
        else
        {
            try
            {
                // Every caller waits for the one refresh under way, each at most the fetch's own budget.
                await refresh.WaitAsync(TimeSpan.FromSeconds(settings.JwksTimeoutSeconds), time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                logger.LogWarning(
                    "JWKS refresh for issuer {Issuer} still under way after {Seconds}s: this call goes on with the keys at hand",
                    client.Issuer, settings.JwksTimeoutSeconds);
            }
        }

        // A stale set still serves: a key the client published stays usable while its JWKS endpoint is down.
        if (!state.Sets.TryGetValue(url, out var set))
        {
            return (KeyLookup.SourceUnavailable, null);
        }

        return set.Keys.TryGetValue(kid, out var key) ? (KeyLookup.Found, key) : (KeyLookup.UnknownKid, null);
    }

    // Not a request's token: a caller hanging up must not waste the issuer's one refresh per interval. The fetch is
    // bounded by the HttpClient's timeout (Auth:JwksTimeoutSeconds).
    private async Task RefreshAsync(string issuer, Uri url, IssuerKeys state)
    {
        var fetched = await FetchAsync(issuer, url, CancellationToken.None).ConfigureAwait(false);
        if (fetched is not null)
        {
            state.Store(url, new FetchedSet(fetched, time.GetUtcNow()), MaxSetsPerIssuer);
        }
    }

    private async Task<IReadOnlyDictionary<string, JsonWebKey>?> FetchAsync(string issuer, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            var http = httpClientFactory.CreateClient(HttpClientName);
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // Redirects are not followed: they could lead off the allow-list.
                logger.LogWarning("JWKS fetch for issuer {Issuer} from {Url} answered {Status}", issuer, url, (int)response.StatusCode);
                return null;
            }

            if (response.Content.Headers.ContentLength > MaxJwksBytes)
            {
                logger.LogWarning("JWKS fetch for issuer {Issuer} from {Url} refused: larger than {Max} bytes", issuer, url, MaxJwksBytes);
                return null;
            }

            var json = await ReadLimitedAsync(response.Content, cancellationToken).ConfigureAwait(false);
            if (json is null)
            {
                logger.LogWarning("JWKS fetch for issuer {Issuer} from {Url} refused: larger than {Max} bytes", issuer, url, MaxJwksBytes);
                return null;
            }

            var (keys, problems) = JwksDocument.Parse(json);
            foreach (var problem in problems)
            {
                logger.LogWarning("JWKS for issuer {Issuer} from {Url}: {Problem}", issuer, url, problem);
            }

            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("JWKS for issuer {Issuer} fetched from {Url}: {Count} usable keys", issuer, url, keys.Count);
            }

            return keys;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            var error = ex.GetType().Name + ": " + ex.Message;
            logger.LogWarning("JWKS fetch for issuer {Issuer} from {Url} failed: {Error}", issuer, url, error);
            return null;
        }
    }

    private static async Task<string?> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxJwksBytes + 1];
            var total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > MaxJwksBytes)
                {
                    return null;
                }
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
        }
    }

    private sealed record FetchedSet(IReadOnlyDictionary<string, JsonWebKey> Keys, DateTimeOffset FetchedAt);

    /// <summary>One issuer's fetched sets and its single refresh: callers join the refresh under way instead of
    /// queueing for a lock, and a new one starts at most once per Auth:JwksRefreshMinIntervalSeconds.</summary>
    private sealed class IssuerKeys
    {
        private readonly Lock _lock = new();
        private Task? _refresh;
        private Uri? _refreshing;
        private DateTimeOffset? _lastAttempt;

        public ConcurrentDictionary<Uri, FetchedSet> Sets { get; } = new();

        /// <summary>The refresh of <paramref name="url"/> under way, else a new one when the interval allows, else null.</summary>
        public Task? JoinOrStart(Uri url, DateTimeOffset now, TimeSpan minInterval, Func<Task> start)
        {
            lock (_lock)
            {
                if (_refresh is { IsCompleted: false } running && _refreshing == url)
                {
                    return running;
                }

                if (_lastAttempt is not null && now - _lastAttempt.Value < minInterval)
                {
                    return null;
                }

                _lastAttempt = now;
                _refreshing = url;
                _refresh = Task.Run(start);
                return _refresh;
            }
        }

        public void Store(Uri url, FetchedSet set, int max)
        {
            Sets[url] = set;
            while (Sets.Count > max)
            {
                var oldest = Sets.MinBy(pair => pair.Value.FetchedAt).Key;
                Sets.TryRemove(oldest, out _);
            }
        }
    }
}
