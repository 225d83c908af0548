using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BmesCds.Service.Auth;

/// <summary>Validates the JWT a CDS Client sends (CDS Hooks 2.0 "Trusting CDS Clients") for one endpoint URL.
/// Header checks come first, so no key is looked up, and nothing is fetched, for a token that could never pass.</summary>
internal sealed class CdsClientTokenValidator(
    TrustedClientRegistry registry,
    JwksKeyResolver keys,
    IReplayCache replayCache,
    IOptions<CdsClientAuthOptions> options,
    TimeProvider time)
{
    /// <summary>A CDS Hooks JWT is a few hundred bytes; anything this big is refused before it is parsed.</summary>
    public const int MaxTokenLength = 16 * 1024;

    public const int MaxJtiLength = 256;

    private static readonly JsonWebTokenHandler Handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };

    public async Task<TokenValidationOutcome> ValidateAsync(string? token, Uri endpoint, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return TokenValidationOutcome.Fail(TokenFailure.MissingToken);
        }

        if (token.Length > MaxTokenLength || token.Count(c => c == '.') != 2)
        {
            return TokenValidationOutcome.Fail(TokenFailure.Malformed);
        }

        JsonWebToken jwt;
        JwsHeader header;
        try
        {
            jwt = new JsonWebToken(token);
            header = JwsHeader.Read(jwt.EncodedHeader);
            if (!TimeClaimsAreNumbers(jwt.EncodedPayload))
            {
                return TokenValidationOutcome.Fail(TokenFailure.Malformed, ReadString(jwt, JwtRegisteredClaimNames.Iss), header.Kid);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException or JsonException or FormatException)
        {
            return TokenValidationOutcome.Fail(TokenFailure.Malformed);
        }

        var issuer = ReadString(jwt, JwtRegisteredClaimNames.Iss);
        var kid = header.Kid;
        TokenValidationOutcome Fail(TokenFailure failure) => TokenValidationOutcome.Fail(failure, issuer, kid);

        if (header.Alg is null || !JwtAlgorithms.Allowed.Contains(header.Alg))
        {
            return Fail(TokenFailure.DisallowedAlgorithm);
        }

        if (header.HasCrit || (header.Typ is not null && !string.Equals(header.Typ, "JWT", StringComparison.OrdinalIgnoreCase)))
        {
            return Fail(TokenFailure.UnsupportedHeader);
        }

        if (string.IsNullOrEmpty(kid))
        {
            return Fail(TokenFailure.MissingKid);
        }

        var client = issuer is null ? null : registry.Find(issuer);
        if (client is null)
        {
            return Fail(TokenFailure.UntrustedIssuer);
        }

        Uri? jku = null;
        if (header.Jku is not null && (!KeyUrls.TryParse(header.Jku, out jku) || !client.AllowsJku(jku)))
        {
            return Fail(TokenFailure.JkuNotAllowed);
        }

        var (lookup, key) = await keys.ResolveAsync(client, kid, jku, cancellationToken).ConfigureAwait(false);
        if (lookup == KeyLookup.SourceUnavailable)
        {
            return Fail(TokenFailure.KeySourceUnavailable);
        }

        if (key is null)
        {
            return Fail(TokenFailure.UnknownKey);
        }

        if (!KeyFitsAlgorithm(key, header.Alg))
        {
            return Fail(TokenFailure.KeyAlgorithmMismatch);
        }

        var signature = await Handler.ValidateTokenAsync(jwt, SignatureOnly(key, header.Alg)).ConfigureAwait(false);
        if (!signature.IsValid)
        {
            return Fail(TokenFailure.InvalidSignature);
        }

        var claimsFailure = CheckClaims(jwt, client, endpoint, out var expiresAt);
        if (claimsFailure == TokenFailure.WrongAudience)
        {
            return Fail(claimsFailure) with { Audiences = [.. jwt.Audiences] };
        }

        if (claimsFailure != TokenFailure.None)
        {
            return Fail(claimsFailure);
        }

        // Last, so that only a token that passed every other check uses up its jti.
        var settings = options.Value;
        var replayKey = client.Issuer + "\n" + jwt.Id;
        if (!await replayCache.TryRegisterAsync(replayKey, expiresAt.AddSeconds(settings.ClockSkewSeconds), cancellationToken).ConfigureAwait(false))
        {
            return Fail(TokenFailure.Replayed);
        }

        return TokenValidationOutcome.Success(new CdsClientIdentity(client.Issuer, kid, ReadString(jwt, "tenant"), jwt.Id));
    }

    /// <summary>The expected <c>aud</c>: scheme, host, port and path of the URL called, without a trailing slash.</summary>
    public static string? CanonicalAudience(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath.TrimEnd('/');
    }

    private TokenFailure CheckClaims(JsonWebToken jwt, TrustedClient client, Uri endpoint, out DateTimeOffset expiresAt)
    {
        expiresAt = default;
        var settings = options.Value;
        var skew = TimeSpan.FromSeconds(settings.ClockSkewSeconds);
        var now = time.GetUtcNow();

        if (!TryReadNumericDate(jwt, JwtRegisteredClaimNames.Exp, out expiresAt)
            || !TryReadNumericDate(jwt, JwtRegisteredClaimNames.Iat, out var issuedAt)
            || string.IsNullOrEmpty(jwt.Id) || jwt.Id.Length > MaxJtiLength)
        {
            return TokenFailure.MissingClaim;
        }

        if (expiresAt <= now - skew)
        {
            return TokenFailure.Expired;
        }

        if (issuedAt > now + skew)
        {
            return TokenFailure.IssuedInFuture;
        }

        if (TryReadNumericDate(jwt, JwtRegisteredClaimNames.Nbf, out var notBefore) && notBefore > now + skew)
        {
            return TokenFailure.NotYetValid;
        }

        if (expiresAt - issuedAt > TimeSpan.FromSeconds(settings.MaxTokenLifetimeSeconds))
        {
            return TokenFailure.LifetimeTooLong;
        }

        var expected = CanonicalAudience(endpoint.AbsoluteUri);
        if (expected is null || !jwt.Audiences.Any(aud => string.Equals(CanonicalAudience(aud), expected, StringComparison.Ordinal)))
        {
            return TokenFailure.WrongAudience;
        }

        if (client.Tenant is not null && !string.Equals(ReadString(jwt, "tenant"), client.Tenant, StringComparison.Ordinal))
        {
            return TokenFailure.TenantMismatch;
        }

        return TokenFailure.None;
    }

    private static bool KeyFitsAlgorithm(JsonWebKey key, string alg)
    {
        if (key.Alg is not null && !string.Equals(key.Alg, alg, StringComparison.Ordinal))
        {
            return false;
        }

        var curve = JwtAlgorithms.CurveFor(alg);
        return curve is not null
            ? key.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve && key.Crv == curve
            : JwtAlgorithms.IsRsa(alg) && key.Kty == JsonWebAlgorithmsKeyTypes.RSA;
    }

    /// <summary>Only the signature is checked by IdentityModel, with exactly one key and one algorithm; every claim is
    /// checked above by CDS Hooks rules, so each failure has its own reason.</summary>
    private static TokenValidationParameters SignatureOnly(JsonWebKey key, string alg) => new()
    {
        IssuerSigningKey = key,
        TryAllIssuerSigningKeys = false,
        ValidAlgorithms = [alg],
        RequireSignedTokens = true,
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = false,
        RequireExpirationTime = false,
        RequireAudience = false,
        ValidateIssuerSigningKey = false,
    };

    private static string? ReadString(JsonWebToken jwt, string claim) =>
        jwt.TryGetPayloadValue<string>(claim, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static bool TryReadNumericDate(JsonWebToken jwt, string claim, out DateTimeOffset value)
    {
        value = default;
        double seconds;
        if (jwt.TryGetPayloadValue<long>(claim, out var whole))
        {
            seconds = whole;
        }
        else if (jwt.TryGetPayloadValue<double>(claim, out var fraction))
        {
            seconds = fraction;
        }
        else
        {
            return false;
        }

        if (double.IsNaN(seconds) || seconds < 0 || seconds > 253402300799)
        {
            return false;
        }

        value = DateTimeOffset.UnixEpoch.AddSeconds(seconds);
        return true;
    }

    /// <summary>
    /// RFC 7519: exp, iat and nbf are NumericDates, JSON numbers. IdentityModel would also read a string such as
    /// "1700000000" as a date, so the payload's own JSON is checked, every occurrence of each claim included.
    /// </summary>
    private static bool TimeClaimsAreNumbers(string encodedPayload)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(encodedPayload));
        if (payload.RootElement.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var claim in payload.RootElement.EnumerateObject())
        {
            if ((claim.NameEquals(JwtRegisteredClaimNames.Exp) || claim.NameEquals(JwtRegisteredClaimNames.Iat) || claim.NameEquals(JwtRegisteredClaimNames.Nbf))
                && claim.Value.ValueKind != JsonValueKind.Number)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The JOSE header read strictly: every field this service relies on must be a string.</summary>
    private sealed record JwsHeader(string? Alg, string? Kid, string? Typ, string? Jku, bool HasCrit)
    {
        public static JwsHeader Read(string encodedHeader)
        {
            using var doc = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(encodedHeader));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("JOSE header is not an object");
            }

            var root = doc.RootElement;
            return new JwsHeader(Str(root, "alg"), Str(root, "kid"), Str(root, "typ"), Str(root, "jku"), root.TryGetProperty("crit", out _));
        }

        private static string? Str(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out var value))
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new FormatException($"JOSE header {name} is not a string");
        }
    }
}
