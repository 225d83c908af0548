using System.Net;

namespace BmesCds.Service.Auth;

/// <summary>Rules for URLs that keys are fetched from: https only (plain http on loopback, for local tests),
/// and a <c>jku</c> must sit under an allow-listed prefix on the same origin.</summary>
internal static class KeyUrls
{
    public static bool TryParse(string? value, out Uri uri)
    {
        uri = null!;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var parsed)
            || !string.IsNullOrEmpty(parsed.UserInfo)
            || !string.IsNullOrEmpty(parsed.Fragment))
        {
            return false;
        }

        var secure = parsed.Scheme == Uri.UriSchemeHttps
            || (parsed.Scheme == Uri.UriSchemeHttp && IsLoopback(parsed));
        if (!secure)
        {
            return false;
        }

        uri = parsed;
        return true;
    }

    /// <summary>Same scheme, host and port, and the path is the prefix's path or below it at a segment boundary,
    /// so <c>https://ehr.example</c> does not admit <c>https://ehr.example.evil</c>, nor <c>/jwks</c> admit <c>/jwks-evil</c>.</summary>
    public static bool IsUnder(Uri candidate, Uri prefix)
    {
        if (!string.Equals(candidate.Scheme, prefix.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(candidate.IdnHost, prefix.IdnHost, StringComparison.OrdinalIgnoreCase)
            || candidate.Port != prefix.Port)
        {
            return false;
        }

        var path = candidate.AbsolutePath;
        var prefixPath = prefix.AbsolutePath;
        if (string.Equals(path, prefixPath, StringComparison.Ordinal))
        {
            return string.IsNullOrEmpty(prefix.Query) || string.Equals(candidate.Query, prefix.Query, StringComparison.Ordinal);
        }

        if (!string.IsNullOrEmpty(prefix.Query))
        {
            return false;
        }

        var boundary = prefixPath.EndsWith('/') ? prefixPath : prefixPath + "/";
        return path.StartsWith(boundary, StringComparison.Ordinal);
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out var ip) && IPAddress.IsLoopback(ip));
}
