using System.Net;
using System.Net.Http.Headers;
using BmesCds.Service.Hosting;
using BmesCds.Service.Tests.Auth;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Operations;

/// <summary>
/// /metrics and /admin need a management key (Management:ApiKeys); a CDS Client's token never opens them, and a
/// management key never opens /cds-services. Through the real host, with client authentication required.
/// </summary>
[TestFixture]
public sealed class ManagementTests
{
    private const string BaseUrl = "https://cds.example.org";
    private const string Issuer = "https://ehr.example.com";

    private TestSigningKey _key = null!;
    private BmesCdsFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _key = TestSigningKey.Ec("ES256");
        _factory = new BmesCdsFactory(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Required",
            ["Auth:PublicBaseUrl"] = BaseUrl,
            ["Auth:TrustedClients:0:Issuer"] = Issuer,
            ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(_key),
            ["Management:ApiKeys:1"] = "second-management-key-77",
        });
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _factory.Dispose();
        _key.Dispose();
    }

    [TestCase(BmesCdsFactory.ManagementKey)]
    [TestCase("second-management-key-77")]
    public async Task Metrics_answer_with_any_configured_key(string key)
    {
        using var response = await SendAsync("/metrics", key);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("# TYPE"));
    }

    [TestCase(null, TestName = "Metrics_without_a_key_get_401_with_an_operation_outcome")]
    [TestCase("wrong-key-of-enough-length", TestName = "Metrics_with_an_unknown_key_get_401_with_an_operation_outcome")]
    [TestCase(BmesCdsFactory.ManagementKey + "x", TestName = "Metrics_with_a_key_that_only_starts_like_a_real_one_get_401")]
    public async Task Metrics_refused(string? key)
    {
        using var response = await SendAsync("/metrics", key);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer realm=\"management\""));
        var (diagnostics, expression) = await Json.ReadOutcomeAsync(response);
        Assert.That(diagnostics, Does.Contain("management key"));
        Assert.That(expression, Is.EqualTo("Authorization"));
    }

    [Test]
    public async Task A_valid_cds_client_token_does_not_open_metrics()
    {
        var token = TokenBuilder.For(_key, Issuer, BaseUrl + "/metrics", DateTimeOffset.UtcNow).SignWith(_key);

        using var response = await SendAsync("/metrics", token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_management_key_does_not_open_cds_services()
    {
        using var response = await SendAsync("/cds-services", BmesCdsFactory.ManagementKey);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty, "the CDS Client challenge: empty body");
    }

    [Test]
    public async Task Every_admin_path_needs_a_key_even_one_no_endpoint_declares()
    {
        using var without = await SendAsync("/admin/anything", null);
        using var with = await SendAsync("/admin/anything", BmesCdsFactory.ManagementKey);

        Assert.That(without.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(with.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "past the guard, nothing is served there");
    }

    [Test]
    public async Task Refused_management_calls_are_counted_and_logged_without_the_key()
    {
        var before = await MetricsScrape.FromAsync(_client);
        using var refused = await SendAsync("/metrics", "not-a-key-but-long-enough");
        var after = await MetricsScrape.FromAsync(_client);

        var delta = after.Sum("bmes_cds_auth_failures_total", ("scheme", "management"), ("reason", "UnknownKey"))
            - before.Sum("bmes_cds_auth_failures_total", ("scheme", "management"), ("reason", "UnknownKey"));
        Assert.That(delta, Is.EqualTo(1));
        Assert.That(_factory.Logs.All, Does.Contain("UnknownKey").And.Not.Contain("not-a-key-but-long-enough").And.Not.Contain(BmesCdsFactory.ManagementKey));
    }

    [Test]
    public async Task Without_configured_keys_nobody_gets_metrics()
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?> { ["Management:ApiKeys:0"] = "" });
        using var client = factory.CreateClient();

        using var response = await SendAsync("/metrics", BmesCdsFactory.ManagementKey, client);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("Management:ApiKeys:0", "short", "at least 16 characters")]
    [TestCase("Management:MetricsWithoutKey", "true", "needs Management:Urls")]
    public void Unsafe_management_settings_stop_the_start(string key, string value, string expected)
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Throws<StartupConfigurationException>(() => factory.CreateClient());
        Assert.That(failure!.Message, Does.Contain(expected));
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string? bearer, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await (client ?? _client).SendAsync(request);
    }
}
