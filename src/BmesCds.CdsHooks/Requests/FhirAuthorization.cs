namespace BmesCds.CdsHooks.Requests;

/// <summary>
/// The OAuth 2.0 bearer token the CDS client grants for reading its FHIR server.
/// A class with a redacting ToString, not a record: the token must never reach a log through string formatting.
/// </summary>
public sealed class FhirAuthorization(string accessToken, string tokenType, int? expiresIn, string? scope, string? subject)
{
    public string AccessToken { get; } = accessToken;

    public string TokenType { get; } = tokenType;

    public int? ExpiresIn { get; } = expiresIn;

    public string? Scope { get; } = scope;

    public string? Subject { get; } = subject;

    public override string ToString() => $"FhirAuthorization {{ TokenType = {TokenType}, AccessToken = [redacted] }}";
}
