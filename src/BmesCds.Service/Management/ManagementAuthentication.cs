using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using BmesCds.Service.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Management;

/// <summary>
/// Credentials of the management endpoints (/admin): API keys from Management:ApiKeys, sent as
/// <c>Authorization: Bearer &lt;key&gt;</c> and compared in constant time. A separate scheme and the authorization policy
/// <see cref="Policy"/>: a CDS client's JWT is never a management key, and without keys every /admin call is refused.
/// </summary>
public static class ManagementAuthentication
{
    public const string Scheme = "ManagementKey";
    public const string Policy = "management";
    public const string Section = "Management";

    /// <summary>Shortest accepted key: a key is a secret, not a password (e.g. `openssl rand -base64 32`).</summary>
    public const int MinimumKeyLength = 32;

    public static IServiceCollection AddManagementAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var keys = ConfigurationLists.Read(configuration, $"{Section}:ApiKeys");
        if (keys.Any(key => key.Length < MinimumKeyLength))
        {
            throw new InvalidOperationException($"Every Management:ApiKeys entry must be at least {MinimumKeyLength} characters (e.g. `openssl rand -base64 32`).");
        }

        services.AddSingleton(new ManagementKeys(keys));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ManagementKeyHandler>(Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }
}

/// <summary>The configured keys, kept as SHA-256 hashes so that every comparison takes the same time whatever the key.</summary>
internal sealed class ManagementKeys(IReadOnlyCollection<string> keys)
{
    private readonly byte[][] _hashes = [.. keys.Select(Hash)];

    public int Count => _hashes.Length;

    public bool Matches(string presented)
    {
        var hash = Hash(presented);
        var match = false;
        foreach (var known in _hashes)
        {
            // No early exit: the time taken does not tell which key, or whether any, matched.
            match |= CryptographicOperations.FixedTimeEquals(hash, known);
        }

        return match;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <summary>Authenticates a request whose bearer token is one of the management keys.</summary>
internal sealed class ManagementKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ManagementKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private const string Bearer = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers.Authorization;
        if (values.Count != 1 || values[0] is not { } header || !header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.Count == 0 || !keys.Matches(header[Bearer.Length..].Trim()))
        {
            return Task.FromResult(AuthenticateResult.Fail("not a management key"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "management")], ManagementAuthentication.Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ManagementAuthentication.Scheme)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
