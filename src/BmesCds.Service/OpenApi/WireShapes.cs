using System.Text.Json;

namespace BmesCds.Service.OpenApi;

/// <summary>
/// The shapes of request bodies as the OpenAPI document describes them. The endpoints read bodies themselves (to
/// answer size, media-type and JSON errors precisely), so these records exist for the document only.
/// </summary>
public sealed record HookCallBody(
    string Hook,
    string HookInstance,
    Uri? FhirServer,
    FhirAuthorizationBody? FhirAuthorization,
    JsonElement Context,
    IReadOnlyDictionary<string, JsonElement>? Prefetch);

/// <summary>The bearer token a CDS client grants for its FHIR server (snake_case as in the specification).</summary>
public sealed record FhirAuthorizationBody(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
    string Scope,
    string Subject);

/// <summary>A feedback POST.</summary>
public sealed record FeedbackBody(IReadOnlyList<FeedbackItemBody> Feedback);

/// <summary>One card outcome.</summary>
public sealed record FeedbackItemBody(
    string Card,
    string Outcome,
    IReadOnlyList<AcceptedSuggestionBody>? AcceptedSuggestions,
    JsonElement? OverrideReason,
    DateTimeOffset OutcomeTimestamp);

/// <summary>An accepted suggestion's uuid.</summary>
public sealed record AcceptedSuggestionBody(string Id);
