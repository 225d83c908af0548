using System.Net;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace BmesCds.Service.Tests.Protocol;

public sealed class CorsAndHealthTests
{
    private static HttpRequestMessage Preflight(string path, string origin = "https://sandbox.cds-hooks.org")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    [TestCase("/cds-services")]
    [TestCase("/cds-services/bmes-order-select")]
    [TestCase("/cds-services/bmes-patient-view/feedback")]
    public async Task A_preflight_is_answered_without_authentication(string path)
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Required",
            ["Auth:PublicBaseUrl"] = "https://cds.example.org",
            ["Auth:TrustCdsHooksSandbox"] = "true",
        });
        using var client = factory.CreateClient();

        var response = await client.SendAsync(Preflight(path));
        var unauthenticatedCall = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "*" }));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), Is.EqualTo("GET,POST,OPTIONS"));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")), Is.EqualTo("Authorization,Content-Type"));
        Assert.That(unauthenticatedCall.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the same path without a token is refused");
    }

    [Test]
    public async Task Error_answers_carry_the_cors_headers_too()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/cds-services/unknown") { Content = Json.Body("{}") };
        request.Headers.Add("Origin", "https://sandbox.cds-hooks.org");

        var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "*" }));
    }

    [Test]
    public async Task Outside_development_only_configured_origins_are_allowed()
    {
        using var factory = new ProductionFactory(new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://ehr.example.org" });
        using var client = factory.CreateClient();

        var allowed = await client.SendAsync(Preflight("/cds-services", "https://ehr.example.org"));
        var other = await client.SendAsync(Preflight("/cds-services", "https://evil.example.com"));

        Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "https://ehr.example.org" }));
        Assert.That(other.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task Liveness_is_200()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Readiness_is_200_once_everything_is_loaded()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health/ready");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Json.ReadAsync(response)).GetProperty("status").GetString(), Is.EqualTo("ready"));
    }

    private sealed class ProductionFactory(IReadOnlyDictionary<string, string?> settings) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Auth:Mode", "Disabled");

            // No card ledger: Production would need its patient key secret, and the default file is in the source tree.
            builder.UseSetting("Ledger:Store", "None");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
