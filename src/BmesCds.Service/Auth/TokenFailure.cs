namespace BmesCds.Service.Auth;

/// <summary>Why a client token was refused. Logged, never sent to the caller.</summary>
internal enum TokenFailure
{
    None,
    MissingToken,
    Malformed,
    DisallowedAlgorithm,
    UnsupportedHeader,
    MissingKid,
    UntrustedIssuer,
    JkuNotAllowed,
    UnknownKey,
    KeySourceUnavailable,
    KeyAlgorithmMismatch,
    InvalidSignature,
    MissingClaim,
    Expired,
    IssuedInFuture,
    NotYetValid,
    LifetimeTooLong,
    WrongAudience,
    TenantMismatch,
    Replayed,
}

/// <summary>The CDS Client a request was authenticated as.</summary>
internal sealed record CdsClientIdentity(string Issuer, string KeyId, string? Tenant, string TokenId);

/// <summary>Outcome of one token validation. Issuer and KeyId are the unverified header values, for the log. Audiences
/// are the signed token's <c>aud</c> values, given only on <see cref="TokenFailure.WrongAudience"/> so that a client calling
/// another base URL than <c>Auth:PublicBaseUrl</c> (localhost for 127.0.0.1) can be told apart in the log.</summary>
internal sealed record TokenValidationOutcome(TokenFailure Failure, CdsClientIdentity? Client, string? Issuer, string? KeyId)
{
    public IReadOnlyList<string> Audiences { get; init; } = [];

    public bool Succeeded => Failure == TokenFailure.None;

    public static TokenValidationOutcome Fail(TokenFailure failure, string? issuer = null, string? keyId = null) =>
        new(failure, null, issuer, keyId);

    public static TokenValidationOutcome Success(CdsClientIdentity client) =>
        new(TokenFailure.None, client, client.Issuer, client.KeyId);
}
