using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace BmesCds.Cli;

/// <summary>A private EC or RSA key read from PEM or a JWK, with what a CDS Client needs around it: an algorithm, a kid
/// and the public JWK to register with a CDS Service.</summary>
internal sealed class SigningKey : IDisposable
{
    public static readonly IReadOnlyList<string> Algorithms =
        ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    private SigningKey(AsymmetricAlgorithm key, string? kid)
    {
        Key = key;
        Kid = kid ?? Thumbprint();
    }

    public AsymmetricAlgorithm Key { get; }

    /// <summary>From the JWK, else the RFC 7638 thumbprint of the public key (what keygen uses by default).</summary>
    public string Kid { get; }

    public SecurityKey SecurityKey => Key switch
    {
        ECDsa ec => new ECDsaSecurityKey(ec) { KeyId = Kid },
        RSA rsa => new RsaSecurityKey(rsa) { KeyId = Kid },
        _ => throw new InvalidOperationException("unreachable"),
    };

    /// <summary>ES* for the key's curve; RS384 (recommended by CDS Hooks) for RSA.</summary>
    public string DefaultAlgorithm => Key switch
    {
        ECDsa ec => ec.KeySize switch { 256 => "ES256", 384 => "ES384", _ => "ES512" },
        _ => "RS384",
    };

    public static SigningKey Generate(string alg, string? kid) => alg switch
    {
        "ES256" => new SigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256), kid),
        "ES384" => new SigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP384), kid),
        "ES512" => new SigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP521), kid),
        _ => new SigningKey(RSA.Create(3072), kid),
    };

    public static SigningKey Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliFailureException($"key file '{path}' does not exist.");
        }

        var text = File.ReadAllText(path).Trim();
        return text.StartsWith('{') ? FromJwk(text, path) : FromPem(text, path);
    }

    /// <summary>Whether <paramref name="alg"/> can be used with this key (ES* needs its own curve, RS/PS an RSA key).</summary>
    public bool Fits(string alg) => Key switch
    {
        ECDsa => alg == DefaultAlgorithm,
        RSA => alg.StartsWith("RS", StringComparison.Ordinal) || alg.StartsWith("PS", StringComparison.Ordinal),
        _ => false,
    };

    public JsonObject PublicJwk(string alg)
    {
        var jwk = new JsonObject();
        if (Key is ECDsa ec)
        {
            var p = ec.ExportParameters(false);
            jwk["kty"] = "EC";
            jwk["crv"] = CurveName(ec);
            jwk["x"] = Base64UrlEncoder.Encode(p.Q.X);
            jwk["y"] = Base64UrlEncoder.Encode(p.Q.Y);
        }
        else
        {
            var p = ((RSA)Key).ExportParameters(false);
            jwk["kty"] = "RSA";
            jwk["n"] = Base64UrlEncoder.Encode(p.Modulus);
            jwk["e"] = Base64UrlEncoder.Encode(p.Exponent);
        }

        jwk["kid"] = Kid;
        jwk["use"] = "sig";
        jwk["alg"] = alg;
        return jwk;
    }

    public string PrivateKeyPem() => Key.ExportPkcs8PrivateKeyPem();

    public void Dispose() => Key.Dispose();

    private string Thumbprint()
    {
        // RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
        string canonical;
        if (Key is ECDsa ec)
        {
            var p = ec.ExportParameters(false);
            canonical = $"{{\"crv\":\"{CurveName(ec)}\",\"kty\":\"EC\",\"x\":\"{Base64UrlEncoder.Encode(p.Q.X)}\",\"y\":\"{Base64UrlEncoder.Encode(p.Q.Y)}\"}}";
        }
        else
        {
            var p = ((RSA)Key).ExportParameters(false);
            canonical = $"{{\"e\":\"{Base64UrlEncoder.Encode(p.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64UrlEncoder.Encode(p.Modulus)}\"}}";
        }

        return Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
    }

    private static string CurveName(ECDsa ec) => ec.KeySize switch { 256 => "P-256", 384 => "P-384", _ => "P-521" };

    private static SigningKey FromPem(string pem, string path)
    {
        if (!pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new CliFailureException($"'{path}' holds no private key (expected a PEM 'PRIVATE KEY' or a JWK with 'd').");
        }

        if (pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new CliFailureException($"'{path}' is an encrypted private key: decrypt it first (openssl pkcs8 -in KEY -out PLAIN).");
        }

        AsymmetricAlgorithm key = ECDsa.Create();
        try
        {
            ((ECDsa)key).ImportFromPem(pem);
            return new SigningKey(key, null);
        }
        catch (CryptographicException)
        {
            key.Dispose();
        }
        catch (ArgumentException)
        {
            key.Dispose();
        }

        key = RSA.Create();
        try
        {
            ((RSA)key).ImportFromPem(pem);
            return new SigningKey(key, null);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new CliFailureException($"'{path}' is not a readable EC or RSA private key in PEM.");
        }
    }

    private static SigningKey FromJwk(string json, string path)
    {
        JsonWebKey jwk;
        try
        {
            jwk = new JsonWebKey(json);
        }
        catch (ArgumentException)
        {
            throw new CliFailureException($"'{path}' is not a JWK (a JWK Set holds public keys; give the private JWK).");
        }
        catch (JsonException)
        {
            throw new CliFailureException($"'{path}' is not valid JSON.");
        }

        if (jwk.D is null)
        {
            throw new CliFailureException($"'{path}' holds no private key: the JWK has no 'd'.");
        }

        try
        {
            AsymmetricAlgorithm key = jwk.Kty switch
            {
                "EC" => ECDsa.Create(new ECParameters
                {
                    Curve = jwk.Crv switch
                    {
                        "P-256" => ECCurve.NamedCurves.nistP256,
                        "P-384" => ECCurve.NamedCurves.nistP384,
                        "P-521" => ECCurve.NamedCurves.nistP521,
                        _ => throw new CliFailureException($"'{path}': unsupported curve '{jwk.Crv}'."),
                    },
                    D = Base64UrlEncoder.DecodeBytes(jwk.D),
                    Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.X), Y = Base64UrlEncoder.DecodeBytes(jwk.Y) },
                }),
                "RSA" => RSA.Create(new RSAParameters
                {
                    Modulus = Base64UrlEncoder.DecodeBytes(jwk.N),
                    Exponent = Base64UrlEncoder.DecodeBytes(jwk.E),
                    D = Base64UrlEncoder.DecodeBytes(jwk.D),
                    P = Base64UrlEncoder.DecodeBytes(jwk.P),
                    Q = Base64UrlEncoder.DecodeBytes(jwk.Q),
                    DP = Base64UrlEncoder.DecodeBytes(jwk.DP),
                    DQ = Base64UrlEncoder.DecodeBytes(jwk.DQ),
                    InverseQ = Base64UrlEncoder.DecodeBytes(jwk.QI),
                }),
                _ => throw new CliFailureException($"'{path}': key type '{jwk.Kty}' is not EC or RSA."),
            };
            return new SigningKey(key, string.IsNullOrEmpty(jwk.Kid) ? null : jwk.Kid);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or FormatException)
        {
            throw new CliFailureException($"'{path}' is not a usable private JWK: {ex.Message}");
        }
    }
}
