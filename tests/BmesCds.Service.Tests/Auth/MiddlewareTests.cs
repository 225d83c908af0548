using System.Net;
using System.Net.Http.Headers;
using BmesCds.Service.Auth;
using BmesCds.Service.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BmesCds.Service.Tests.Auth;

/// <summary>The middleware in a small in-test host with dummy CDS Hooks endpoints (not Program.cs).</summary>
[TestFixture]
public sealed class MiddlewareTests
{
    private const string BaseUrl = "https://cds.example.org";
    private const string Issuer = "https://ehr.example.com";

    private TestSigningKey _key = null!;

    [OneTimeSetUp]
    public void MakeKey() => _key = TestSigningKey.Ec("ES384");

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    private Dictionary<string, string?> Config() => new()
    {
        ["Auth:Mode"] = "Required",
        ["Auth:PublicBaseUrl"] = BaseUrl,
        ["Auth:TrustedClients:0:Issuer"] = Issuer,
        ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(_key),
    };

    private static async Task<WebApplication> StartHost(Dictionary<string, string?> config, string environment = "Production", LogSink? logs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod()));
        builder.Services.AddCdsClientAuthentication(builder.Configuration, builder.Environment);
        var app = builder.Build();
        app.UseCors();
        app.UseCdsClientAuthentication();
        app.MapGet("/cds-services", (HttpContext c) => Results.Ok(new { services = Array.Empty<object>(), iss = c.User.FindFirst("iss")?.Value }));
        app.MapPost("/cds-services/x", (HttpContext c) => Results.Ok(new { cards = Array.Empty<object>(), iss = c.User.FindFirst("iss")?.Value }));
        app.MapPost("/cds-services/x/feedback", () => Results.Ok());
        app.MapGet("/health", () => "ok");
        await app.StartAsync();
        return app;
    }

    private static HttpRequestMessage Request(string path, string? token = null)
    {
        var request = new HttpRequestMessage(path == "/cds-services" ? HttpMethod.Get : HttpMethod.Post, path);
        if (path != "/cds-services")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private string TokenFor(string path) => TokenBuilder.For(_key, Issuer, BaseUrl + path, DateTimeOffset.UtcNow).SignWith(_key);

    [TestCase("/cds-services")]
    [TestCase("/cds-services/x")]
    [TestCase("/cds-services/x/feedback")]
    public async Task Call_without_a_token_gets_401_with_a_bearer_challenge_and_an_empty_body(string path)
    {
        await using var app = await StartHost(Config());
        using var client = app.GetTestClient();

        using var response = await client.SendAsync(Request(path));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
    }

    [TestCase("/cds-services")]
    [TestCase("/cds-services/x")]
    [TestCase("/cds-services/x/feedback")]
    public async Task Call_with_a_valid_token_for_that_url_reaches_the_endpoint(string path)
    {
        await using var app = await StartHost(Config());
        using var client = app.GetTestClient();

        using var response = await client.SendAsync(Request(path, TokenFor(path)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Endpoint_sees_the_authenticated_client_issuer()
    {
        await using var app = await StartHost(Config());
        using var client = app.GetTestClient();

        using var response = await client.SendAsync(Request("/cds-services/x", TokenFor("/cds-services/x")));

        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain($"\"iss\":\"{Issuer}\""));
    }

    [Test]
    public async Task Token_for_the_discovery_url_does_not_open_a_service()
    {
        await using var app = await StartHost(Config());
        using var client = app.GetTestClient();

        using var response = await client.SendAsync(Request("/cds-services/x", TokenFor("/cds-services")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Audience_comes_from_the_public_base_url_not_the_host_header()
    {
        await using var app = await StartHost(Config());
        using var client = app.GetTestClient();
        var token = TokenBuilder.For(_key, Issuer, "http://attacker.example/cds-services", DateTimeOffset.UtcNow).SignWith(_key);
        using var request = Request("/cds-services", token);
        request.Headers.Host = "attacker.example";

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Cors_preflight_is_answered_without_a_token()
    {
        await using var app = await StartHost(Config());
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/cds-services/x");
        request.Headers.Add("Origin", "https://sandbox.cds-hooks.org");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.True);
    }

    [Test]
    public async Task Paths_outside_cds_services_are_not_guarded()
    {
        await using var app = await StartHost(Config());
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/health");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("Basic dXNlcjpwYXNz")]
    [TestCase("Bearer")]
    [TestCase("Bearer ")]
    public async Task Authorization_header_that_is_not_a_bearer_token_gets_401(string header)
    {
        await using var app = await StartHost(Config());
        using var client = app.GetTestClient();
        using var request = Request("/cds-services");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Refusal_reason_is_logged_with_the_path_but_never_the_token()
    {
        var logs = new LogSink();
        await using var app = await StartHost(Config(), logs: logs);
        using var client = app.GetTestClient();
        var token = TokenFor("/cds-services/other");

        using var response = await client.SendAsync(Request("/cds-services/x", token));

        var lines = logs.Entries.Select(e => e.Message).ToList();
        Assert.That(lines, Has.Some.Contains("WrongAudience").And.Contains("/cds-services/x").And.Contains(Issuer).And.Contains(_key.Kid));
        Assert.That(lines, Has.None.Contains(token.Split('.')[1]));
        Assert.That(lines, Has.None.Contains(token.Split('.')[2]));
    }

    [Test]
    public async Task Disabled_mode_lets_calls_through_and_warns_at_start()
    {
        var logs = new LogSink();
        var config = new Dictionary<string, string?> { ["Auth:Mode"] = "Disabled" };
        await using var app = await StartHost(config, logs: logs);
        using var client = app.GetTestClient();

        using var response = await client.SendAsync(Request("/cds-services/x"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(logs.Entries, Has.Some.Matches<(LogLevel Level, string Category, string Message)>(
            e => e.Level == LogLevel.Warning && e.Message.Contains("Disabled", StringComparison.Ordinal)));
    }

    [Test]
    public async Task Development_without_a_mode_is_disabled()
    {
        await using var app = await StartHost([], environment: "Development");
        using var client = app.GetTestClient();

        using var response = await client.SendAsync(Request("/cds-services"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void Production_without_a_mode_requires_auth_and_refuses_to_start_without_a_public_base_url()
    {
        var ex = Assert.ThrowsAsync<StartupConfigurationException>(() => StartHost([], environment: "Production"));

        Assert.That(ex!.Message, Does.Contain("Auth:PublicBaseUrl"));
    }

    [TestCase("Auth:TrustedClients:0:JwksUrl", "http://ehr.example.com/jwks.json", "https")]
    [TestCase("Auth:TrustedClients:0:Jwks", "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"k\",\"k\":\"c2VjcmV0\"}]}", "not EC or RSA")]
    [TestCase("Auth:TrustedClients:0:JwksFile", "no-such-file.json", "does not exist")]
    public void Bad_trusted_client_stops_the_start_with_a_clear_message(string key, string value, string expected)
    {
        var config = Config();
        config.Remove("Auth:TrustedClients:0:Jwks");
        config[key] = value;

        var ex = Assert.ThrowsAsync<StartupConfigurationException>(() => StartHost(config));

        Assert.That(ex!.Message, Does.Contain(expected));
    }

    [Test]
    public void Private_key_in_a_trusted_jwks_stops_the_start()
    {
        var config = Config();
        var jwk = _key.PublicJwk();
        jwk["d"] = "AAAA";
        config["Auth:TrustedClients:0:Jwks"] = $"{{\"keys\":[{jwk.ToJsonString()}]}}";

        var ex = Assert.ThrowsAsync<StartupConfigurationException>(() => StartHost(config));

        Assert.That(ex!.Message, Does.Contain("private key material"));
    }

    [Test]
    public async Task Jwks_file_relative_to_the_content_root_is_loaded()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bmes-jwks-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, TestSigningKey.Jwks(_key));
        try
        {
            var config = Config();
            config.Remove("Auth:TrustedClients:0:Jwks");
            config["Auth:TrustedClients:0:JwksFile"] = file;
            await using var app = await StartHost(config);
            using var client = app.GetTestClient();

            using var response = await client.SendAsync(Request("/cds-services", TokenFor("/cds-services")));

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
