using System.Collections.Frozen;

namespace BmesCds.Service.Auth;

/// <summary>Asymmetric JWS algorithms only: the spec forbids <c>none</c> and every symmetric (HMAC) algorithm.</summary>
internal static class JwtAlgorithms
{
    public static readonly FrozenSet<string> Allowed = FrozenSet.Create(
        StringComparer.Ordinal,
        "ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512");

    /// <summary>The curve an ECDSA algorithm is defined on (RFC 7518 3.4).</summary>
    public static string? CurveFor(string alg) => alg switch
    {
        "ES256" => "P-256",
        "ES384" => "P-384",
        "ES512" => "P-521",
        _ => null,
    };

    public static bool IsRsa(string alg) => alg.StartsWith("RS", StringComparison.Ordinal) || alg.StartsWith("PS", StringComparison.Ordinal);

    /// <summary>Weaker RSA keys are refused (RFC 7518 3.3 requires 2048 bits).</summary>
    public const int MinRsaKeyBits = 2048;
}
