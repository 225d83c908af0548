using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BmesCds.Cli.Verbs;

/// <summary>Mints the JWT a CDS Client sends (CDS Hooks 2.0 "Trusting CDS Clients"), to call a secured instance by hand.</summary>
internal sealed class TokenVerb : ICliVerb
{
    public string Name => "token";

    public string Summary => "print a signed CDS Client JWT for a local private key";

    public string Usage => """
        usage: bmes-cds token --key FILE --iss ISSUER --aud URL [options]
          --key FILE       private key: PEM (PKCS#8, SEC1 or PKCS#1) or a private JWK (with "d")
          --iss ISSUER     issuer, exactly as registered with the service (Auth:TrustedClients:N:Issuer)
          --aud URL        the URL you will call, e.g. https://cds.example.org/cds-services/bmes-order-select
          --kid KID        key id (default: the JWK's kid, else the RFC 7638 thumbprint, as keygen writes it)
          --alg ALG        ES256|ES384|ES512|RS256|RS384|RS512|PS256|PS384|PS512 (default: ES for the key's curve, RS384 for RSA)
          --lifetime SEC   seconds until exp, 1-3600 (default 300)
          --tenant ID      add a tenant claim
          --jku URL        add a jku header (the service fetches it only if allow-listed and no keys are pinned)
        prints the JWT on stdout; exit 0 ok, 1 unusable key file, 2 usage error
        """;

    public int Run(CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        var keyFile = arguments.Required("key");
        var issuer = arguments.Required("iss");
        var audience = arguments.Required("aud");
        var kid = arguments.Optional("kid");
        var alg = arguments.Optional("alg");
        var lifetime = arguments.Int("lifetime", 300, 1, 3600);
        var tenant = arguments.Optional("tenant");
        var jku = arguments.Optional("jku");
        arguments.RejectUnread();

        if (!Uri.TryCreate(audience, UriKind.Absolute, out var audUri) || (audUri.Scheme != Uri.UriSchemeHttps && audUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new UsageException($"--aud must be the absolute http(s) URL of the endpoint called, not '{audience}'.");
        }

        if (jku is not null && !Uri.TryCreate(jku, UriKind.Absolute, out _))
        {
            throw new UsageException($"--jku must be an absolute URL, not '{jku}'.");
        }

        if (alg is not null && !SigningKey.Algorithms.Contains(alg))
        {
            throw new UsageException($"--alg must be one of {string.Join(", ", SigningKey.Algorithms)} (CDS Hooks forbids none and HMAC), not '{alg}'.");
        }

        using var loaded = SigningKey.Load(keyFile);
        alg ??= loaded.DefaultAlgorithm;
        if (!loaded.Fits(alg))
        {
            throw new UsageException($"--alg {alg} does not fit the key in '{keyFile}' (use {loaded.DefaultAlgorithm}).");
        }

        var key = loaded.SecurityKey;
        key.KeyId = kid ?? loaded.Kid;

        // The key is disposed when this verb ends; IdentityModel's shared provider cache would otherwise keep it.
        key.CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false };
        stdout.WriteLine(Mint(key, alg, issuer, audience, lifetime, tenant, jku, DateTime.UtcNow));
        return ExitCodes.Ok;
    }

    public static string Mint(SecurityKey key, string alg, string issuer, string audience, int lifetimeSeconds, string? tenant, string? jku, DateTime now)
    {
        var issuedAt = DateTime.UnixEpoch.AddSeconds(Math.Floor((now - DateTime.UnixEpoch).TotalSeconds));
        var claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString() };
        if (tenant is not null)
        {
            claims["tenant"] = tenant;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt,
            Expires = issuedAt.AddSeconds(lifetimeSeconds),
            Claims = claims,
            TokenType = "JWT",
            SigningCredentials = new SigningCredentials(key, alg),
            AdditionalHeaderClaims = jku is null ? null : new Dictionary<string, object> { ["jku"] = jku },
            Subject = new ClaimsIdentity(),
        };

        // Only iat and exp, as CDS Hooks lists them: no nbf added behind our back.
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(descriptor);
    }
}
