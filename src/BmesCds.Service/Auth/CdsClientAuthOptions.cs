using BmesCds.CdsHooks.Responses;

namespace BmesCds.Service.Auth;

/// <summary>Whether calls to /cds-services must carry a JWT from a trusted CDS Client.</summary>
internal enum CdsClientAuthMode
{
    Required,
    Disabled,
}

/// <summary>Configuration section <c>Auth</c>. Every key is documented in README "Authentication".</summary>
internal sealed class CdsClientAuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Unset means Required, except in the Development environment where it means Disabled.</summary>
    public CdsClientAuthMode? Mode { get; set; }

    /// <summary>The URL under which /cds-services is reached by clients; the expected <c>aud</c> is built from it,
    /// never from the Host header, which the caller controls.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Tolerance for clock differences when checking <c>exp</c>, <c>iat</c> and <c>nbf</c>.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Longest accepted <c>exp - iat</c>; bounds how long a jti must be remembered.</summary>
    public int MaxTokenLifetimeSeconds { get; set; } = 600;

    /// <summary>How long a fetched JWKS is used before it is fetched again.</summary>
    public int JwksCacheSeconds { get; set; } = 3600;

    /// <summary>At most one JWKS fetch per issuer and URL within this interval, so unknown kids cannot flood the client.</summary>
    public int JwksRefreshMinIntervalSeconds { get; set; } = 60;

    /// <summary>Trust the public CDS Hooks sandbox (issuer https://sandbox.cds-hooks.org) with its key shipped in the assembly.</summary>
    public bool TrustCdsHooksSandbox { get; set; }

    /// <summary>
    /// The FHIR servers a call signed by the sandbox preset may name. The sandbox's private key is public (it signs in
    /// the browser), so anyone can mint its tokens: the list is short and fixed. Empty: <see cref="SandboxFhirServerDefaults"/>.
    /// </summary>
    public IList<string> CdsHooksSandboxFhirServers { get; } = [];

    /// <summary>The public SMART Health IT R4 sandbox: open, synthetic data, the usual choice in the CDS Hooks sandbox.</summary>
    public static IReadOnlyList<string> SandboxFhirServerDefaults { get; } = ["https://launch.smarthealthit.org/v/r4/fhir"];

    /// <summary>How long a JWK Set fetch may take, and how long a call waits for a refresh already under way.</summary>
    public double JwksTimeoutSeconds { get; set; } = 5;

    /// <summary>The CDS clients (EHRs) allowed to call, one entry each (README "Registering an EHR").</summary>
    public IList<TrustedClientOptions> TrustedClients { get; } = [];

    /// <summary>Requests per second all callers together may send when <see cref="Mode"/> is Disabled; null: no limit.</summary>
    public double? AnonymousRequestsPerSecond { get; set; }

    public ReplayCacheOptions ReplayCache { get; set; } = new();
}

/// <summary>One CDS Client (EHR) that may call the service.</summary>
internal sealed class TrustedClientOptions
{
    /// <summary>Exact <c>iss</c> value of the client's tokens.</summary>
    public string? Issuer { get; set; }

    /// <summary>The client's public JWK Set as inline JSON.</summary>
    public string? Jwks { get; set; }

    /// <summary>Path of a file holding the client's public JWK Set (relative paths: from the content root).</summary>
    public string? JwksFile { get; set; }

    /// <summary>URL of the client's JWK Set, fetched and cached.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>URL prefixes a token's <c>jku</c> header may point to.</summary>
    public IList<string> JkuAllowList { get; } = [];

    /// <summary>When set, the token's <c>tenant</c> claim must equal it.</summary>
    public string? Tenant { get; set; }

    /// <summary>FHIR server base URLs this client's calls may name as <c>fhirServer</c> (prefix match); empty: none
    /// (any loopback server in Development).</summary>
    public IList<string> FhirServers { get; } = [];

    /// <summary>Requests per second this client may send (bursts up to one second's worth); null: no limit.</summary>
    public double? RequestsPerSecond { get; set; }

    /// <summary>How replace suggestions are written for this client; unset: <c>Cards:ReplaceAction</c>.</summary>
    public ReplaceAction? ReplaceAction { get; set; }
}

internal sealed class ReplayCacheOptions
{
    /// <summary>StackExchange.Redis connection string; when set, seen jti values are shared by every instance.</summary>
    public string? Redis { get; set; }
}
