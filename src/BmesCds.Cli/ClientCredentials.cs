using BmesCds.Cli.Verbs;
using Microsoft.IdentityModel.Tokens;

namespace BmesCds.Cli;

/// <summary>
/// What a CDS Client signs its JWTs with, read from the options <c>token</c> and <c>call</c> share (--key, --iss, --kid,
/// --alg, --lifetime, --tenant, --jku). <see cref="MintFor"/> makes a new token, with a new jti, for one URL.
/// </summary>
internal sealed class ClientCredentials : IDisposable
{
    public const string OptionsUsage = """
          --key FILE       private key: PEM (PKCS#8, SEC1 or PKCS#1) or a private JWK (with "d")
          --iss ISSUER     issuer, exactly as registered with the service (Auth:TrustedClients:N:Issuer)
          --kid KID        key id (default: the JWK's kid, else the RFC 7638 thumbprint, as keygen writes it)
          --alg ALG        ES256|ES384|ES512|RS256|RS384|RS512|PS256|PS384|PS512 (default: ES for the key's curve, RS384 for RSA)
          --lifetime SEC   seconds until exp, 1-3600 (default 300)
          --tenant ID      add a tenant claim
          --jku URL        add a jku header (the service fetches it only if allow-listed and no keys are pinned)
        """;

    private readonly SigningKey _key;
    private readonly SecurityKey _securityKey;

    private ClientCredentials(SigningKey key, SecurityKey securityKey, string alg, string issuer, int lifetime, string? tenant, string? jku)
    {
        _key = key;
        _securityKey = securityKey;
        Algorithm = alg;
        Issuer = issuer;
        LifetimeSeconds = lifetime;
        Tenant = tenant;
        Jku = jku;
    }

    public string Algorithm { get; }

    public string Issuer { get; }

    public int LifetimeSeconds { get; }

    public string? Tenant { get; }

    public string? Jku { get; }

    /// <summary>Reads the options (marking them read, so the caller can reject unknown ones before the key is loaded).</summary>
    public static Options Read(CliArguments arguments)
    {
        var options = new Options(
            arguments.Required("key"),
            arguments.Required("iss"),
            arguments.Optional("kid"),
            arguments.Optional("alg"),
            arguments.Int("lifetime", 300, 1, 3600),
            arguments.Optional("tenant"),
            arguments.Optional("jku"));
        if (options.Jku is not null && !Uri.TryCreate(options.Jku, UriKind.Absolute, out _))
        {
            throw new UsageException($"--jku must be an absolute URL, not '{options.Jku}'.");
        }

        if (options.Alg is not null && !SigningKey.Algorithms.Contains(options.Alg))
        {
            throw new UsageException($"--alg must be one of {string.Join(", ", SigningKey.Algorithms)} (CDS Hooks forbids none and HMAC), not '{options.Alg}'.");
        }

        return options;
    }

    /// <summary>The options as given; <see cref="Load"/> reads the key file (exit 1 when unusable).</summary>
    public sealed record Options(string KeyFile, string Issuer, string? Kid, string? Alg, int LifetimeSeconds, string? Tenant, string? Jku)
    {
        public ClientCredentials Load()
        {
            var loaded = SigningKey.Load(KeyFile);
            try
            {
                var alg = Alg ?? loaded.DefaultAlgorithm;
                if (!loaded.Fits(alg))
                {
                    throw new UsageException($"--alg {alg} does not fit the key in '{KeyFile}' (use {loaded.DefaultAlgorithm}).");
                }

                var key = loaded.SecurityKey;
                key.KeyId = Kid ?? loaded.Kid;

                // The key is disposed with these credentials; IdentityModel's shared provider cache would otherwise keep it.
                key.CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false };
                return new ClientCredentials(loaded, key, alg, Issuer, LifetimeSeconds, Tenant, Jku);
            }
            catch
            {
                loaded.Dispose();
                throw;
            }
        }
    }

    /// <summary>A new token (new jti) whose <c>aud</c> is exactly <paramref name="audience"/>, the URL about to be called.</summary>
    public string MintFor(string audience, DateTime now) =>
        TokenVerb.Mint(_securityKey, Algorithm, Issuer, audience, LifetimeSeconds, Tenant, Jku, now);

    /// <summary>An absolute http(s) URL, or a usage error naming the option.</summary>
    public static Uri EndpointUrl(string value, string option)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new UsageException($"{option} must be the absolute http(s) URL of the endpoint called, not '{value}'.");
        }

        return url;
    }

    public void Dispose() => _key.Dispose();
}
