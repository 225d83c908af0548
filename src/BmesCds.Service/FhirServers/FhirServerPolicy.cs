using BmesCds.CdsHooks.Requests;
using BmesCds.Service.Auth;
using BmesCds.Service.PatientData;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.FhirServers;

/// <summary>
/// Whether a hook call may use the <c>fhirServer</c> it names: only a server its caller is trusted with. With
/// authentication, the calling client's Auth:TrustedClients:N:FhirServers (or the sandbox preset's list); without,
/// Fhir:AllowedServers. In Development an unset list admits loopback servers. A refusal is logged once per call with
/// the reason; the caller only ever reads <see cref="Refusal"/>, the same text as for a server that cannot be reached,
/// so that the answers say nothing about what is (or is not) listening where.
/// </summary>
public sealed class FhirServerPolicy
{
    private readonly IHttpContextAccessor _http;
    private readonly IOptions<FhirFetchOptions> _fhir;
    private readonly bool _authenticated;
    private readonly TrustedClientRegistry? _clients;
    private readonly FhirServerAllowList _withoutAuthentication;
    private readonly ILogger<FhirServerPolicy> _logger;

    internal FhirServerPolicy(
        IHttpContextAccessor http,
        IOptions<FhirFetchOptions> fhir,
        bool authenticated,
        IHostEnvironment environment,
        TrustedClientRegistry? clients,
        ILogger<FhirServerPolicy> logger)
    {
        _http = http;
        _fhir = fhir;
        _authenticated = authenticated;
        _clients = clients;
        _withoutAuthentication = FhirServerAllowList.From(fhir.Value.AllowedServers, "Fhir:AllowedServers", environment.IsDevelopment());
        _logger = logger;
    }

    /// <summary>What the caller reads when its fhirServer cannot be used, for whatever reason (see the log).</summary>
    public static string Refusal(string template) =>
        $"{template} could not be fetched from fhirServer (the reason is in the service log, under this hookInstance)";

    /// <summary>Whether <paramref name="request"/> may fetch from its fhirServer; a refusal is logged once per call.</summary>
    public bool Permits(HookRequest request)
    {
        var allowance = FhirCallAllowance.Of(request, _fhir.Value.MaxBytesPerCall);
        lock (allowance)
        {
            if (allowance.Permitted is { } decided)
            {
                return decided;
            }

            var fhirServer = request.FhirServer!;
            var (allowed, list) = Decide(fhirServer, _http.HttpContext?.Features.Get<CdsClientIdentity>());
            if (!allowed)
            {
                _logger.LogWarning(
                    "Hook {HookInstance}: fhirServer {FhirServer} refused: not on {AllowList}; nothing is fetched",
                    request.HookInstance,
                    ForLog(fhirServer),
                    list);
            }

            allowance.Permitted = allowed;
            return allowed;
        }
    }

    /// <summary>The decision alone, and the list it was made against (named for the log).</summary>
    internal (bool Allowed, string List) Decide(Uri fhirServer, CdsClientIdentity? client)
    {
        if (!_authenticated)
        {
            return (_withoutAuthentication.Admits(fhirServer), "Fhir:AllowedServers");
        }

        var trusted = client is null ? null : _clients?.Find(client.Issuer);
        return trusted is null
            ? (false, "the list of an authenticated client (the call has none)")
            : (trusted.FhirServers.Admits(fhirServer), $"the FhirServers of client {trusted.Issuer}");
    }

    // Scheme, host, port and path of the base: never a query (a hostile caller could put anything there).
    private static string ForLog(Uri fhirServer) =>
        $"{fhirServer.Scheme}://{fhirServer.Authority}" + new string(fhirServer.AbsolutePath.Take(200).Where(c => !char.IsControl(c)).ToArray());
}
