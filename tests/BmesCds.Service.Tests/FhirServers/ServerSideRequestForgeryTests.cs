using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BmesCds.Service.FhirServers;
using BmesCds.Service.Tests.Auth;
using BmesCds.Service.Tests.Infrastructure;
using BmesCds.Service.Tests.PatientData;

namespace BmesCds.Service.Tests.FhirServers;

/// <summary>
/// fhirServer is an address the caller chooses. Real sockets: a listener on loopback counts the connections the
/// service makes. Whatever the spelling of a loopback address, the service does not connect (0 connections) unless
/// loopback is allowed, and a server not on the caller's list is never contacted; every refusal reads the same.
/// </summary>
public sealed class ServerSideRequestForgeryTests
{
    private const string ConditionsTemplate = "Condition?patient={{context.patientId}}&_count=200";
    private static readonly string Generic = $"prefetch.conditions: {FhirServerPolicy.Refusal(ConditionsTemplate)}";

    /// <summary>Ways to write "this machine" in a URL; {0} is the listener's port.</summary>
    private static readonly string[] LoopbackSpellings =
    [
        "http://127.0.0.1:{0}/fhir",
        "http://2130706433:{0}/fhir",
        "http://127.1:{0}/fhir",
        "http://0x7f.0.0.1:{0}/fhir",
        "http://017700000001:{0}/fhir",
        "http://[::ffff:127.0.0.1]:{0}/fhir",
        "http://[::ffff:7f00:1]:{0}/fhir",
        "http://localhost:{0}/fhir",
        "http://LOCALHOST:{0}/fhir",
        "http://127.0.0.2:{0}/fhir",
        "http://[::1]:{0}/fhir",
    ];

    private ConnectionCounter _listener = null!;
    private FallbackHost _guarded = null!;
    private FallbackHost _loopbackAllowed = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _listener = new ConnectionCounter();
        var spellings = new List<string>(LoopbackSpellings.Select(Spelled)) { Spelled("http://0.0.0.0:{0}/fhir") };
        var settings = new Dictionary<string, string?>
        {
            ["Fhir:AllowLoopback"] = "false",
            ["Fhir:AllowPrivateNetworks"] = "false",
        };
        for (var i = 0; i < spellings.Count; i++)
        {
            // Every spelling is on the allow-list: only the connect-time address check stands in the way.
            settings[$"Fhir:AllowedServers:{i}"] = spellings[i];
        }

        _guarded = new FallbackHost(settings);
        _loopbackAllowed = new FallbackHost(new Dictionary<string, string?>(settings) { ["Fhir:AllowLoopback"] = "true" });
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _guarded.Dispose();
        _loopbackAllowed.Dispose();
        _listener.Dispose();
    }

    private string Spelled(string template) => string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _listener.Port);

    private static JsonObject WithoutConditions()
    {
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("conditions");
        return prefetch;
    }

    private static async Task<string> Assert412(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed), body);
        return (await Json.ReadOutcomeAsync(response)).Diagnostics;
    }

    private static string[] Spellings() => LoopbackSpellings;

    [TestCaseSource(nameof(Spellings))]
    public async Task No_spelling_of_loopback_gets_a_connection(string spelling)
    {
        var fhirServer = Spelled(spelling);
        if (fhirServer.Contains("[::1]", StringComparison.Ordinal) && !_listener.HasIPv6Loopback)
        {
            Assert.Ignore("this machine has no IPv6 loopback to listen on");
        }

        _listener.Reset();
        var refused = await _guarded.PostAsync(TestPatient.PatientView(fhirServer, WithoutConditions()));

        Assert.That(await Assert412(refused), Is.EqualTo(Generic));
        Assert.That(_listener.Connections, Is.Zero, "no connection while loopback is not allowed");
        Assert.That(_guarded.Logs.Lines, Has.Some.Contains("FHIR server connection refused").And.Contains("loopback"));

        // The same spelling with loopback allowed does reach the listener: the zero above is the guard's doing.
        await _loopbackAllowed.PostAsync(TestPatient.PatientView(fhirServer, WithoutConditions()));
        Assert.That(_listener.Connections, Is.GreaterThan(0), "the spelling leads to the listener");
    }

    [Test]
    public async Task The_unspecified_address_is_never_connected_to_even_with_loopback_allowed()
    {
        _listener.Reset();

        var refused = await _loopbackAllowed.PostAsync(TestPatient.PatientView(Spelled("http://0.0.0.0:{0}/fhir"), WithoutConditions()));

        Assert.That(await Assert412(refused), Is.EqualTo(Generic));
        Assert.That(_listener.Connections, Is.Zero);
    }

    [Test]
    public async Task A_server_off_the_allow_list_is_never_contacted_and_reads_like_any_other_failure()
    {
        using var host = new FallbackHost(new Dictionary<string, string?>
        {
            ["Fhir:AllowPrivateNetworks"] = "true",
            ["Fhir:AllowedServers:0"] = Spelled("http://127.0.0.1:{0}/fhir"),
        });
        _listener.Reset();

        var sibling = await host.PostAsync(TestPatient.PatientView(Spelled("http://127.0.0.1:{0}/fhir-admin"), WithoutConditions(), token: "ehr-token"));
        var otherPort = await host.PostAsync(TestPatient.PatientView($"http://127.0.0.1:{_listener.Port + 1}/fhir", WithoutConditions(), token: "ehr-token"));

        Assert.That(await Assert412(sibling), Is.EqualTo(Generic));
        Assert.That(await Assert412(otherPort), Is.EqualTo(Generic));
        Assert.That(_listener.Connections, Is.Zero);
        Assert.That(host.FhirRequests.Requests, Is.Empty, "no request, so no token, left the service");
        Assert.That(host.Logs.Lines.Count(line => line.Contains("refused: not on Fhir:AllowedServers", StringComparison.Ordinal)), Is.EqualTo(2), "logged once per call");
        Assert.That(host.Logs.All, Does.Not.Contain("ehr-token"));

        // Below the allowed base, at a '/' boundary, is allowed: the listener is reached.
        await host.PostAsync(TestPatient.PatientView(Spelled("http://127.0.0.1:{0}/fhir/r4"), WithoutConditions()));
        Assert.That(_listener.Connections, Is.GreaterThan(0));
    }

    [Test]
    public async Task Outside_development_without_authentication_no_fhir_server_is_used_unless_listed()
    {
        using var host = new FallbackHost(
            new Dictionary<string, string?> { ["Fhir:AllowHttp"] = "true", ["Fhir:AllowLoopback"] = "true" },
            environment: "Production");
        _listener.Reset();

        var refused = await host.PostAsync(TestPatient.PatientView(Spelled("http://127.0.0.1:{0}/fhir"), WithoutConditions()));

        Assert.That(await Assert412(refused), Is.EqualTo(Generic));
        Assert.That(_listener.Connections, Is.Zero);
    }

    [Test]
    public async Task Each_trusted_client_may_name_only_its_own_fhir_servers()
    {
        await using var fhir = await HostileFhirServer.StartAsync();
        using var clientA = TestSigningKey.Ec("ES384");
        using var clientB = TestSigningKey.Ec("ES384");
        using var host = new FallbackHost(
            new Dictionary<string, string?>
            {
                ["Auth:Mode"] = "Required",
                ["Auth:PublicBaseUrl"] = "http://localhost",
                ["Auth:TrustedClients:0:Issuer"] = "https://ehr-a.example",
                ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(clientA),
                ["Auth:TrustedClients:0:FhirServers:0"] = fhir.BaseFor("good"),
                ["Auth:TrustedClients:1:Issuer"] = "https://ehr-b.example",
                ["Auth:TrustedClients:1:Jwks"] = TestSigningKey.Jwks(clientB),
                ["Fhir:AllowHttp"] = "true",
                ["Fhir:AllowLoopback"] = "true",
            },
            environment: "Production");

        async Task<HttpResponseMessage> Call(TestSigningKey key, string issuer, string fhirServer)
        {
            const string Path = "/cds-services/bmes-patient-view";
            using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json.Body(TestPatient.PatientView(fhirServer, WithoutConditions())) };
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Bearer", TokenBuilder.For(key, issuer, "http://localhost" + Path, DateTimeOffset.UtcNow).SignWith(key));
            return await host.Client.SendAsync(request);
        }

        _listener.Reset();
        var own = await Call(clientA, "https://ehr-a.example", fhir.BaseFor("good"));
        var elsewhere = await Call(clientA, "https://ehr-a.example", Spelled("http://127.0.0.1:{0}/fhir"));
        var other = await Call(clientB, "https://ehr-b.example", fhir.BaseFor("good"));

        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK), await own.Content.ReadAsStringAsync());
        Assert.That(await Assert412(elsewhere), Is.EqualTo(Generic));
        Assert.That(await Assert412(other), Is.EqualTo(Generic));
        Assert.That(_listener.Connections, Is.Zero);
        Assert.That(fhir.Requests("good"), Is.EqualTo(1), "only client A's own call reached its server");
        Assert.That(host.Logs.Lines, Has.Some.Contains("refused: not on the FhirServers of client https://ehr-b.example"));
    }
}
