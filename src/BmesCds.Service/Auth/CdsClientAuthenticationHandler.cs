using System.Security.Claims;
using System.Text.Encodings.Web;
using BmesCds.Service.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Auth;

/// <summary>
/// The ASP.NET Core authentication scheme <see cref="CdsClientAuthentication.Scheme"/>: a CDS Client's JWT, checked by
/// <see cref="CdsClientTokenValidator"/> for the URL called. A refused call is challenged with 401,
/// <c>WWW-Authenticate: Bearer</c> and an empty body; the reason goes to the log (and to the auth failure metric), the
/// token never does. When the shared replay cache cannot be reached the challenge is a 503: a replay cannot be ruled out.
/// </summary>
internal sealed class CdsClientAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    CdsClientTokenValidator validator,
    TrustedClientRegistry registry,
    IOptions<CdsClientAuthOptions> options,
    BmesMetrics metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    private readonly ILogger _log = loggerFactory.CreateLogger(CdsClientAuthentication.LogCategory);
    private bool _replayCacheUnavailable;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var request = Request;
        var endpoint = new Uri(options.Value.PublicBaseUrl!.TrimEnd('/') + request.Path.ToUriComponent());
        TokenValidationOutcome outcome;
        try
        {
            outcome = await validator.ValidateAsync(ReadBearer(request), endpoint, Context.RequestAborted).ConfigureAwait(false);
        }
        catch (ReplayCacheUnavailableException ex)
        {
            // Not the caller's fault, and not safe to let through: a replay could not be ruled out.
            _log.LogError(ex, "CDS client call on {Path} not checked: {Error}", request.Path.Value, ex.Message);
            _replayCacheUnavailable = true;
            metrics.AuthFailed(CdsClientAuthentication.Scheme, "ReplayCacheUnavailable", "none");
            return AuthenticateResult.Fail("ReplayCacheUnavailable");
        }

        if (!outcome.Succeeded)
        {
            // A call without any token is routine (probes, misconfigured clients); a bad token deserves attention.
            var level = outcome.Failure == TokenFailure.MissingToken ? LogLevel.Information : LogLevel.Warning;
            if (_log.IsEnabled(level))
            {
                _log.Log(
                    level,
                    "CDS client refused on {Method} {Path}: {Reason} (iss {Issuer}, kid {Kid})",
                    request.Method, request.Path.Value, outcome.Failure, LogSafe(outcome.Issuer), LogSafe(outcome.KeyId));
            }

            // The commonest setup mistake (localhost vs 127.0.0.1) would otherwise fail silently in a browser client.
            if (outcome.Failure == TokenFailure.WrongAudience
                && PublicBaseUrlMismatch.Explain(options.Value.PublicBaseUrl!, request.Path.Value ?? string.Empty, outcome.Audiences.Select(a => LogSafe(a)!)) is { } mismatch)
            {
                _log.LogWarning("CDS client refused on {Path}: {Mismatch}", request.Path.Value, mismatch);
            }

            var reason = outcome.Failure.ToString();
            metrics.AuthFailed(CdsClientAuthentication.Scheme, reason, IssuerTag(outcome.Issuer));
            return AuthenticateResult.Fail(reason);
        }

        var client = outcome.Client!;
        Context.Features.Set(client);
        var claims = new List<Claim> { new("iss", client.Issuer), new("kid", client.KeyId) };
        if (client.Tenant is not null)
        {
            claims.Add(new Claim("tenant", client.Tenant));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CdsClientAuthentication.AuthenticationType, "iss", null));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_replayCacheUnavailable)
        {
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
        else
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer";
        }

        Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    // A metric tag must not take a caller's made-up value: only a trusted issuer is named.
    private string IssuerTag(string? issuer) =>
        issuer is null ? "none" : registry.Find(issuer) is not null ? issuer : "untrusted";

    private static string? ReadBearer(HttpRequest request)
    {
        var values = request.Headers.Authorization;
        if (values.Count != 1)
        {
            return null;
        }

        var header = values[0];
        const string Bearer = "Bearer ";
        return header is not null && header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? header[Bearer.Length..].Trim()
            : null;
    }

    /// <summary>iss and kid come from an unverified token: cut them short and drop control characters before logging.</summary>
    private static string? LogSafe(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var clean = new string(value.Where(c => !char.IsControl(c)).Take(200).ToArray());
        return clean.Length < value.Length ? clean + "…" : clean;
    }
}
