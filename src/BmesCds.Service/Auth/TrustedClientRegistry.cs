using BmesCds.CdsHooks.Responses;
using BmesCds.Service.FhirServers;
using BmesCds.Service.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace BmesCds.Service.Auth;

/// <summary>A CDS Client the service trusts, with its keys resolved from configuration.</summary>
/// <param name="Issuer">Exact <c>iss</c> of its tokens.</param>
/// <param name="Tenant">When set, the <c>tenant</c> claim its tokens must carry.</param>
/// <param name="PinnedKeys">Keys given out of band (inline or file). When there are any, nothing is fetched for this issuer.</param>
/// <param name="JwksUrl">Configured JWK Set URL, fetched and cached.</param>
/// <param name="JkuAllowList">Prefixes a token's <c>jku</c> must be under.</param>
/// <param name="FhirServers">The FHIR servers its calls may name as <c>fhirServer</c>.</param>
/// <param name="ReplaceAction">How replace suggestions are written for this client; null: <c>Cards:ReplaceAction</c>.</param>
internal sealed record TrustedClient(
    string Issuer,
    string? Tenant,
    IReadOnlyDictionary<string, JsonWebKey> PinnedKeys,
    Uri? JwksUrl,
    IReadOnlyList<Uri> JkuAllowList,
    FhirServerAllowList FhirServers,
    ReplaceAction? ReplaceAction = null)
{
    public bool HasPinnedKeys => PinnedKeys.Count > 0;

    public bool AllowsJku(Uri jku) =>
        JkuAllowList.Any(prefix => KeyUrls.IsUnder(jku, prefix))
        || (JwksUrl is not null && KeyUrls.IsUnder(jku, JwksUrl));
}

/// <summary>The trusted issuers, built once at start from <see cref="CdsClientAuthOptions"/>; a bad entry stops the start.</summary>
internal sealed class TrustedClientRegistry
{
    public const string SandboxIssuer = "https://sandbox.cds-hooks.org";
    public const string SandboxJku = "https://sandbox.cds-hooks.org/.well-known/jwks.json";
    private const string SandboxJwksResource = "BmesCds.Service.Auth.cds-hooks-sandbox-jwks.json";

    private readonly Dictionary<string, TrustedClient> _clients;

    private TrustedClientRegistry(Dictionary<string, TrustedClient> clients) => _clients = clients;

    public IReadOnlyCollection<TrustedClient> Clients => _clients.Values;

    /// <summary>Issuers are compared exactly (ordinal), as RFC 7519 compares StringOrURI values.</summary>
    public TrustedClient? Find(string issuer) => _clients.GetValueOrDefault(issuer);

    /// <param name="options">The Auth section.</param>
    /// <param name="contentRoot">Where relative JwksFile paths start.</param>
    /// <param name="isDevelopment">In Development an unset FhirServers list admits loopback servers.</param>
    public static TrustedClientRegistry Build(CdsClientAuthOptions options, string contentRoot, bool isDevelopment = false)
    {
        var clients = new Dictionary<string, TrustedClient>(StringComparer.Ordinal);
        var index = 0;
        foreach (var entry in options.TrustedClients)
        {
            Add(clients, FromOptions(entry, $"Auth:TrustedClients:{index}", contentRoot, isDevelopment));
            index++;
        }

        if (options.TrustCdsHooksSandbox)
        {
            Add(clients, Sandbox(FhirServerAllowList.From(
                options.CdsHooksSandboxFhirServers, "Auth:CdsHooksSandboxFhirServers", isDevelopment, CdsClientAuthOptions.SandboxFhirServerDefaults)));
        }

        return new TrustedClientRegistry(clients);
    }

    /// <summary>The public CDS Hooks sandbox: its key is pinned, so its <c>jku</c> is allowed but never fetched. Its PAMA
    /// screen applies only update actions, so replace suggestions are sent to it as one update.</summary>
    public static TrustedClient Sandbox(FhirServerAllowList? fhirServers = null)
    {
        using var stream = typeof(TrustedClientRegistry).Assembly.GetManifestResourceStream(SandboxJwksResource)
            ?? throw new InvalidOperationException($"Embedded resource {SandboxJwksResource} is missing from the build.");
        using var reader = new StreamReader(stream);
        var keys = ParsePinned(reader.ReadToEnd(), "the CDS Hooks sandbox preset");
        return new TrustedClient(SandboxIssuer, null, keys, null, [new Uri(SandboxJku)], fhirServers ?? FhirServerAllowList.None, CdsHooks.Responses.ReplaceAction.Update);
    }

    private static void Add(Dictionary<string, TrustedClient> clients, TrustedClient client)
    {
        if (!clients.TryAdd(client.Issuer, client))
        {
            throw new StartupConfigurationException(
                $"Auth: issuer '{client.Issuer}' is configured more than once (TrustedClients, TrustCdsHooksSandbox).");
        }
    }

    private static TrustedClient FromOptions(TrustedClientOptions entry, string path, string contentRoot, bool isDevelopment)
    {
        if (string.IsNullOrWhiteSpace(entry.Issuer))
        {
            throw new StartupConfigurationException($"{path}:Issuer is required.");
        }

        var sources = new[] { entry.Jwks, entry.JwksFile, entry.JwksUrl }.Count(s => !string.IsNullOrWhiteSpace(s));
        if (sources > 1)
        {
            throw new StartupConfigurationException($"{path}: give only one of Jwks, JwksFile, JwksUrl.");
        }

        if (sources == 0 && entry.JkuAllowList.Count == 0)
        {
            throw new StartupConfigurationException(
                $"{path} ({entry.Issuer}) has no key source: set Jwks, JwksFile, JwksUrl or JkuAllowList.");
        }

        IReadOnlyDictionary<string, JsonWebKey> pinned = new Dictionary<string, JsonWebKey>();
        if (!string.IsNullOrWhiteSpace(entry.Jwks))
        {
            pinned = ParsePinned(entry.Jwks, $"{path}:Jwks");
        }
        else if (!string.IsNullOrWhiteSpace(entry.JwksFile))
        {
            var file = Path.GetFullPath(entry.JwksFile, contentRoot);
            if (!File.Exists(file))
            {
                throw new StartupConfigurationException($"{path}:JwksFile '{file}' does not exist.");
            }

            pinned = ParsePinned(File.ReadAllText(file), $"{path}:JwksFile '{file}'");
        }

        Uri? jwksUrl = null;
        if (!string.IsNullOrWhiteSpace(entry.JwksUrl) && !KeyUrls.TryParse(entry.JwksUrl, out jwksUrl))
        {
            throw new StartupConfigurationException(
                $"{path}:JwksUrl '{entry.JwksUrl}' must be an absolute https URL (http only on loopback).");
        }

        var allow = new List<Uri>();
        foreach (var prefix in entry.JkuAllowList)
        {
            if (!KeyUrls.TryParse(prefix, out var uri))
            {
                throw new StartupConfigurationException(
                    $"{path}:JkuAllowList entry '{prefix}' must be an absolute https URL (http only on loopback).");
            }

            allow.Add(uri);
        }

        var fhirServers = FhirServerAllowList.From(entry.FhirServers, $"{path}:FhirServers", isDevelopment);
        return new TrustedClient(entry.Issuer, string.IsNullOrEmpty(entry.Tenant) ? null : entry.Tenant, pinned, jwksUrl, allow, fhirServers, entry.ReplaceAction);
    }

    private static IReadOnlyDictionary<string, JsonWebKey> ParsePinned(string json, string source)
    {
        var (keys, problems) = JwksDocument.Parse(json);
        if (problems.Count > 0)
        {
            throw new StartupConfigurationException($"Auth: {source} is not a usable public JWK Set: {string.Join("; ", problems)}.");
        }

        return keys;
    }
}
