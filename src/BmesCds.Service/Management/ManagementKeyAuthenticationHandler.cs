using System.Security.Claims;
using System.Text.Encodings.Web;
using BmesCds.Service.Http;
using BmesCds.Service.Telemetry;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Task = System.Threading.Tasks.Task;

namespace BmesCds.Service.Management;

/// <summary>
/// The authentication scheme <see cref="ManagementAuthentication.Scheme"/>: <c>Authorization: Bearer &lt;key&gt;</c> with
/// one of <c>Management:ApiKeys</c>. A CDS Client's JWT is not a key, so it never passes; a key is not a JWT, so it never
/// passes the CDS Client scheme. Refusals are 401 with an OperationOutcome; the reason is logged, the key never is.
/// </summary>
internal sealed class ManagementKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ManagementKeys keys,
    BmesMetrics metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    private readonly ILogger _log = loggerFactory.CreateLogger(ManagementAuthentication.LogCategory);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // ASP.NET Core makes a lone scheme the default, and with Auth:Mode Disabled this is the only one: the
        // authentication middleware would then run it on every call (a refusal logged and counted per CDS call). It
        // answers only for the management paths and the endpoints that require the management policy (the console's).
        if (!RequiresManagement(Context))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var key = ReadBearer(Request);
        var reason = key is null ? "MissingKey" : keys.Matches(key) ? null : "UnknownKey";
        if (reason is not null)
        {
            var level = key is null ? LogLevel.Information : LogLevel.Warning;
            if (_log.IsEnabled(level))
            {
                _log.Log(level, "Management call refused on {Method} {Path}: {Reason}", Request.Method, Request.Path.Value, reason);
            }

            metrics.AuthFailed(ManagementAuthentication.Scheme, reason, "none");
            return Task.FromResult(AuthenticateResult.Fail(reason));
        }

        var identity = new ClaimsIdentity([new System.Security.Claims.Claim(ClaimTypes.Role, ManagementAuthentication.Scheme)], ManagementAuthentication.AuthenticationType);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"management\"";
        await FhirOutcome.Create(
            StatusCodes.Status401Unauthorized,
            OperationOutcome.IssueType.Login,
            "Authorization: a management key is required (Authorization: Bearer <one of Management:ApiKeys>); CDS client tokens are not accepted here.",
            "Authorization").ExecuteAsync(Context);
    }

    private static bool RequiresManagement(HttpContext context) =>
        ManagementAuthentication.IsManagementPath(context.Request.Path)
        || context.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
            .Any(data => data.Policy == ManagementAuthentication.PolicyName) == true;

    private static string? ReadBearer(HttpRequest request)
    {
        var values = request.Headers.Authorization;
        const string Bearer = "Bearer ";
        return values.Count == 1 && values[0] is { } header && header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) && header.Length > Bearer.Length
            ? header[Bearer.Length..].Trim()
            : null;
    }
}
