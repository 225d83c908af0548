using Microsoft.IdentityModel.Tokens;

namespace BmesCds.Service.Auth;

/// <summary>Reads a JWK Set and keeps only public signature keys that can verify an allowed algorithm.</summary>
internal static class JwksDocument
{
    /// <summary>Keys by kid, and a list of what was wrong (keys with a problem are left out).</summary>
    public static (IReadOnlyDictionary<string, JsonWebKey> Keys, IReadOnlyList<string> Problems) Parse(string json)
    {
        var problems = new List<string>();
        var keys = new Dictionary<string, JsonWebKey>(StringComparer.Ordinal);
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (ArgumentException ex)
        {
            problems.Add($"not a JWK Set: {ex.GetType().Name}");
            return (keys, problems);
        }

        if (set.Keys.Count == 0)
        {
            problems.Add("the JWK Set has no usable key");
        }

        foreach (var key in set.Keys)
        {
            var problem = Check(key);
            if (problem is null && !keys.TryAdd(key.Kid, key))
            {
                problem = "kid appears more than once";
            }

            if (problem is not null)
            {
                problems.Add($"key '{key.Kid}': {problem}");
            }
        }

        return (keys, problems);
    }

    private static string? Check(JsonWebKey key)
    {
        if (string.IsNullOrEmpty(key.Kid))
        {
            return "no kid";
        }

        if (key.Use is not null && key.Use != "sig")
        {
            return $"use is '{key.Use}', not 'sig'";
        }

        if (key.D is not null || key.P is not null || key.Q is not null || key.DP is not null || key.DQ is not null || key.QI is not null)
        {
            return "holds private key material: publish only the public key";
        }

        if (key.Alg is not null && !JwtAlgorithms.Allowed.Contains(key.Alg))
        {
            return $"alg '{key.Alg}' is not an allowed asymmetric algorithm";
        }

        return key.Kty switch
        {
            JsonWebAlgorithmsKeyTypes.EllipticCurve when key.Crv is not ("P-256" or "P-384" or "P-521") => $"unsupported curve '{key.Crv}'",
            JsonWebAlgorithmsKeyTypes.EllipticCurve when key.X is null || key.Y is null => "EC key without x or y",
            JsonWebAlgorithmsKeyTypes.EllipticCurve => null,
            JsonWebAlgorithmsKeyTypes.RSA when key.N is null || key.E is null => "RSA key without n or e",
            JsonWebAlgorithmsKeyTypes.RSA when RsaBits(key.N) < JwtAlgorithms.MinRsaKeyBits => $"RSA key shorter than {JwtAlgorithms.MinRsaKeyBits} bits",
            JsonWebAlgorithmsKeyTypes.RSA => null,
            _ => $"key type '{key.Kty}' is not EC or RSA",
        };
    }

    private static int RsaBits(string modulus)
    {
        try
        {
            var bytes = Base64UrlEncoder.DecodeBytes(modulus);
            var leadingZeros = 0;
            while (leadingZeros < bytes.Length && bytes[leadingZeros] == 0)
            {
                leadingZeros++;
            }

            return (bytes.Length - leadingZeros) * 8;
        }
        catch (FormatException)
        {
            return 0;
        }
    }
}
