using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BmesCds.Cli.Verbs;

/// <summary>Mints the JWT a CDS Client sends (CDS Hooks 2.0 "Trusting CDS Clients"), to call a secured instance by hand.</summary>
internal sealed class TokenVerb : ICliVerb
{
    public string Name => "token";

    public string Summary => "print a signed CDS Client JWT for a local private key";

    public string Usage => $"""
        usage: bmes-cds token --key FILE --iss ISSUER --aud URL [options]
          --aud URL        the URL you will call, e.g. https://cds.example.org/cds-services/bmes-order-select
        {ClientCredentials.OptionsUsage}
        prints the JWT on stdout; exit 0 ok, 1 unusable key file, 2 usage error
        """;

    public int Run(CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        var audience = arguments.Required("aud");
        ClientCredentials.EndpointUrl(audience, "--aud");
        var options = ClientCredentials.Read(arguments);
        arguments.RejectUnread();
        using var credentials = options.Load();

        stdout.WriteLine(credentials.MintFor(audience, DateTime.UtcNow));
        return ExitCodes.Ok;
    }

    public static string Mint(SecurityKey key, string alg, string issuer, string audience, int lifetimeSeconds, string? tenant, string? jku, DateTime now)
    {
        var issuedAt = DateTime.UnixEpoch.AddSeconds(Math.Floor((now - DateTime.UnixEpoch).TotalSeconds));
        var claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString() };
        if (tenant is not null)
        {
            claims["tenant"] = tenant;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt,
            Expires = issuedAt.AddSeconds(lifetimeSeconds),
            Claims = claims,
            TokenType = "JWT",
            SigningCredentials = new SigningCredentials(key, alg),
            AdditionalHeaderClaims = jku is null ? null : new Dictionary<string, object> { ["jku"] = jku },
            Subject = new ClaimsIdentity(),
        };

        // Only iat and exp, as CDS Hooks lists them: no nbf added behind our back.
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(descriptor);
    }
}
