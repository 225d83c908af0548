using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Auth;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.IntegrationConsole;

/// <summary>
/// Who reaches the console: nobody outside Development unless Console:Enabled; with client authentication or outside
/// Development its data endpoints need a management key, and a CDS client's valid token never opens them; through
/// the console an authenticated instance never fetches from a fhirServer (no CDS client, no allowed server).
/// </summary>
public sealed class ConsoleAccessTests
{
    private const string BaseUrl = "https://cds.example.org";
    private const string Issuer = "https://ehr.example.com";
    private const string C1 = "cases/C1-ct-after-normal-left-hip-xray.request.json";

    private static readonly string[] ConsolePaths = ["/console", "/console/assets/console.js", "/console/samples"];

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? bearer, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (body is not null)
        {
            request.Content = Json.Body(body);
        }

        return await client.SendAsync(request);
    }

    private static JsonNode C1Request() => Json.Load(SampleFiles.FullPath(C1));

    [Test]
    public async Task Outside_development_the_console_is_not_served_unless_switched_on()
    {
        using var factory = new BmesCdsFactory(environment: "Production");
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        foreach (var path in ConsolePaths)
        {
            using var response = await SendAsync(client, HttpMethod.Get, path, BmesCdsFactory.ManagementKey);
            statuses.Add(response.StatusCode);
        }

        using var evaluate = await SendAsync(client, HttpMethod.Post, "/console/evaluate", BmesCdsFactory.ManagementKey, C1Request());
        statuses.Add(evaluate.StatusCode);

        Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task In_development_Console_Enabled_false_switches_it_off()
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?> { ["Console:Enabled"] = "false" });
        using var client = factory.CreateClient();

        using var page = await client.GetAsync("/console");
        using var evaluate = await client.PostAsync("/console/evaluate", Json.Body(C1Request()));

        Assert.That((page.StatusCode, evaluate.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
    }

    [Test]
    public async Task Switched_on_in_production_its_data_needs_a_management_key_and_its_page_none()
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?> { ["Console:Enabled"] = "true" }, environment: "Production");
        using var client = factory.CreateClient();

        using var page = await SendAsync(client, HttpMethod.Get, "/console", null);
        using var samplesWithout = await SendAsync(client, HttpMethod.Get, "/console/samples", null);
        using var samplesWrong = await SendAsync(client, HttpMethod.Get, "/console/samples", BmesCdsFactory.ManagementKey + "x");
        using var evaluateWithout = await SendAsync(client, HttpMethod.Post, "/console/evaluate", null, C1Request());
        using var samples = await SendAsync(client, HttpMethod.Get, "/console/samples", BmesCdsFactory.ManagementKey);
        using var evaluate = await SendAsync(client, HttpMethod.Post, "/console/evaluate", BmesCdsFactory.ManagementKey, C1Request());

        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(samplesWithout.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(samplesWithout.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer realm=\"management\""));
            Assert.That(samplesWrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(evaluateWithout.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(samples.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(evaluate.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        Assert.That(factory.Logs.All, Does.Not.Contain(BmesCdsFactory.ManagementKey), "keys are never logged");
    }

    [Test]
    public async Task With_client_authentication_a_valid_cds_client_token_is_refused_and_a_management_key_admitted()
    {
        using var key = TestSigningKey.Ec("ES384");
        using var factory = new BmesCdsFactory(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Required",
            ["Auth:PublicBaseUrl"] = BaseUrl,
            ["Auth:TrustedClients:0:Issuer"] = Issuer,
            ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(key),
        });
        using var client = factory.CreateClient();
        string Token(string path) => TokenBuilder.For(key, Issuer, BaseUrl + path, DateTimeOffset.UtcNow).SignWith(key);

        // The same kind of token is good for a service call: the refusal is the console's, not the token's.
        using var serviceCall = await SendAsync(client, HttpMethod.Post, "/cds-services/bmes-order-select", Token("/cds-services/bmes-order-select"), C1Request());
        using var evaluateWithToken = await SendAsync(client, HttpMethod.Post, "/console/evaluate", Token("/console/evaluate"), C1Request());
        using var samplesWithToken = await SendAsync(client, HttpMethod.Get, "/console/samples", Token("/console/samples"));
        using var evaluateWithKey = await SendAsync(client, HttpMethod.Post, "/console/evaluate", BmesCdsFactory.ManagementKey, C1Request());

        var (refusal, _) = await Json.ReadOutcomeAsync(evaluateWithToken);
        Assert.Multiple(() =>
        {
            Assert.That(serviceCall.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(evaluateWithToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(evaluateWithToken.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer realm=\"management\""));
            Assert.That(refusal, Does.Contain("CDS client tokens are not accepted here"));
            Assert.That(samplesWithToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(evaluateWithKey.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task With_client_authentication_the_console_never_fetches_from_a_fhir_server()
    {
        using var key = TestSigningKey.Ec("ES384");
        using var factory = new BmesCdsFactory(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Required",
            ["Auth:PublicBaseUrl"] = BaseUrl,
            ["Auth:TrustedClients:0:Issuer"] = Issuer,
            ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(key),
            // Even a server the client may name: the console has no client.
            ["Auth:TrustedClients:0:FhirServers:0"] = "http://127.0.0.1:9/fhir",
        });
        using var client = factory.CreateClient();
        var request = C1Request();
        request.AsObject().Remove("prefetch");
        request["fhirServer"] = "http://127.0.0.1:9/fhir";

        using var response = await SendAsync(client, HttpMethod.Post, "/console/evaluate", BmesCdsFactory.ManagementKey, request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        var keys = (await Json.ReadAsync(response)).GetProperty("explanation").GetProperty("prefetch").EnumerateArray();
        Assert.That(keys.Select(k => k.GetProperty("source").GetString()), Has.All.EqualTo("failed"));
        Assert.That(factory.Logs.All, Does.Contain("refused: not on the list of an authenticated client (the call has none)"));
    }
}
