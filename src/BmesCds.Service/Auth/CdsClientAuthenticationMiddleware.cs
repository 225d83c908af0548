using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BmesCds.Service.Auth;

/// <summary>Guards every path under /cds-services (discovery, services, feedback). A refused call gets 401 with
/// <c>WWW-Authenticate: Bearer</c> and an empty body; the reason goes to the log, the token never does.</summary>
internal sealed class CdsClientAuthenticationMiddleware(
    RequestDelegate next,
    CdsClientTokenValidator validator,
    IOptions<CdsClientAuthOptions> options,
    ILogger<CdsClientAuthenticationMiddleware> logger)
{
    public static readonly PathString ProtectedPath = new("/cds-services");

    public const string AuthenticationType = "CdsHooksJwt";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(ProtectedPath, StringComparison.OrdinalIgnoreCase) || IsCorsPreflight(request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var endpoint = new Uri(options.Value.PublicBaseUrl!.TrimEnd('/') + request.Path.ToUriComponent());
        TokenValidationOutcome outcome;
        try
        {
            outcome = await validator.ValidateAsync(ReadBearer(request), endpoint, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ReplayCacheUnavailableException ex)
        {
            // Not the caller's fault, and not safe to let through: a replay could not be ruled out.
            logger.LogError(ex, "CDS client call on {Path} not checked: {Error}", request.Path.Value, ex.Message);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentLength = 0;
            return;
        }

        if (!outcome.Succeeded)
        {
            // A call without any token is routine (probes, misconfigured clients); a bad token deserves attention.
            var level = outcome.Failure == TokenFailure.MissingToken ? LogLevel.Information : LogLevel.Warning;
            if (logger.IsEnabled(level))
            {
                logger.Log(
                    level,
                    "CDS client refused on {Method} {Path}: {Reason} (iss {Issuer}, kid {Kid})",
                    request.Method, request.Path.Value, outcome.Failure, LogSafe(outcome.Issuer), LogSafe(outcome.KeyId));
            }

            if (outcome.Failure == TokenFailure.WrongAudience
                && PublicBaseUrlMismatch.Explain(options.Value.PublicBaseUrl!, request.Path.Value ?? string.Empty, outcome.Audiences.Select(a => LogSafe(a)!)) is { } mismatch)
            {
                logger.LogWarning("CDS client refused on {Path}: {Mismatch}", request.Path.Value, mismatch);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            context.Response.ContentLength = 0;
            return;
        }

        var client = outcome.Client!;
        context.Features.Set(client);
        var claims = new List<Claim> { new("iss", client.Issuer), new("kid", client.KeyId) };
        if (client.Tenant is not null)
        {
            claims.Add(new Claim("tenant", client.Tenant));
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, "iss", null));
        await next(context).ConfigureAwait(false);
    }

    private static bool IsCorsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod);

    private static string? ReadBearer(HttpRequest request)
    {
        var values = request.Headers.Authorization;
        if (values.Count != 1)
        {
            return null;
        }

        var header = values[0];
        const string Scheme = "Bearer ";
        return header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? header[Scheme.Length..].Trim()
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
