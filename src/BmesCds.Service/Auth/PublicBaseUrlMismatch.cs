namespace BmesCds.Service.Auth;

/// <summary>
/// Tells an operator why a signed token for the right endpoint was refused with <see cref="TokenFailure.WrongAudience"/>:
/// the client calls the service under another base URL than <c>Auth:PublicBaseUrl</c>, typically localhost against
/// 127.0.0.1 on a developer machine. The browser shows only a 401, so the log line names both URLs and the fix.
/// </summary>
internal static class PublicBaseUrlMismatch
{
    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>The explanation, or null when no audience is this endpoint under another base URL.</summary>
    public static string? Explain(string publicBaseUrl, string requestPath, IEnumerable<string> audiences)
    {
        var expected = publicBaseUrl.TrimEnd('/');
        foreach (var audience in audiences)
        {
            if (!Uri.TryCreate(audience, UriKind.Absolute, out var aud)
                || !aud.AbsolutePath.TrimEnd('/').EndsWith(requestPath.TrimEnd('/'), StringComparison.Ordinal))
            {
                continue;
            }

            var calledBase = (aud.GetLeftPart(UriPartial.Authority) + aud.AbsolutePath.TrimEnd('/')[..^requestPath.TrimEnd('/').Length]).TrimEnd('/');
            if (string.Equals(calledBase, expected, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var loopback = Uri.TryCreate(expected, UriKind.Absolute, out var configured)
                && LoopbackHosts.Contains(configured.Host, StringComparer.OrdinalIgnoreCase)
                && LoopbackHosts.Contains(aud.Host, StringComparer.OrdinalIgnoreCase)
                    ? " (localhost, 127.0.0.1 and [::1] are different URLs to a token: use the same one in both places)"
                    : string.Empty;
            return $"Auth:PublicBaseUrl is {expected} but the client signed its token for {calledBase}{requestPath}: "
                + $"set Auth:PublicBaseUrl={calledBase}, or have the client call {expected}{requestPath}{loopback}.";
        }

        return null;
    }
}
