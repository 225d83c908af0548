using System.Net;
using System.Net.Http.Headers;
using BmesCds.Service.Hosting;
using BmesCds.Service.Tests.Auth;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BmesCds.Service.Tests.Operations;

/// <summary>
/// Requests per second per trusted client (Auth:TrustedClients:N:RequestsPerSecond), through the real host. The clock
/// is a fake one that the test moves: the buckets refill only when it says a second has passed.
/// </summary>
[TestFixture]
public sealed class RateLimitTests
{
    private const string BaseUrl = "https://cds.example.org";
    private const string Limited = "https://busy-ehr.example.com";
    private const string Unlimited = "https://quiet-ehr.example.com";

    private TestSigningKey _key = null!;

    [OneTimeSetUp]
    public void MakeKey() => _key = TestSigningKey.Ec("ES256");

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    [Test]
    public async Task A_client_over_its_limit_gets_429_with_retry_after_and_an_operation_outcome_and_others_are_not_slowed()
    {
        var time = new FakeTime(DateTimeOffset.UtcNow);
        using var factory = Host(time, new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Required",
            ["Auth:PublicBaseUrl"] = BaseUrl,
            ["Auth:TrustedClients:0:Issuer"] = Limited,
            ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(_key),
            ["Auth:TrustedClients:0:RequestsPerSecond"] = "2",
            ["Auth:TrustedClients:1:Issuer"] = Unlimited,
            ["Auth:TrustedClients:1:Jwks"] = TestSigningKey.Jwks(_key),
        });
        using var client = factory.CreateClient();
        var before = await MetricsScrape.FromAsync(client);

        var withinLimit = new[] { await DiscoverAsync(client, Limited, time), await DiscoverAsync(client, Limited, time) };
        using var over = await DiscoverAsync(client, Limited, time);
        var others = new[] { await DiscoverAsync(client, Unlimited, time), await DiscoverAsync(client, Unlimited, time), await DiscoverAsync(client, Unlimited, time) };
        time.Advance(TimeSpan.FromSeconds(0.5));
        using var afterHalfASecond = await DiscoverAsync(client, Limited, time);
        var after = await MetricsScrape.FromAsync(client);
        var (diagnostics, _) = await Json.ReadOutcomeAsync(over);
        var code = (await Json.ReadAsync(over)).GetProperty("issue")[0].GetProperty("code").GetString();

        Assert.Multiple(() =>
        {
            Assert.That(withinLimit.Select(r => r.StatusCode), Has.All.EqualTo(HttpStatusCode.OK));
            Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(over.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)), "half a second to the next token, rounded up");
            Assert.That(diagnostics, Does.Contain("2 requests per second"));
            Assert.That(code, Is.EqualTo("throttled"));
            Assert.That(others.Select(r => r.StatusCode), Has.All.EqualTo(HttpStatusCode.OK), "another client has its own partition");
            Assert.That(afterHalfASecond.StatusCode, Is.EqualTo(HttpStatusCode.OK), "one token back after half a second at 2 per second");
            Assert.That(after.Sum("bmes_cds_rate_limit_rejections_total", ("client", Limited)) - before.Sum("bmes_cds_rate_limit_rejections_total", ("client", Limited)), Is.EqualTo(1));
        });
        foreach (var response in withinLimit.Concat(others))
        {
            response.Dispose();
        }
    }

    [Test]
    public async Task Without_authentication_every_caller_shares_the_anonymous_limit()
    {
        var time = new FakeTime(DateTimeOffset.UtcNow);
        using var factory = Host(time, new Dictionary<string, string?> { ["Auth:AnonymousRequestsPerSecond"] = "1" });
        using var client = factory.CreateClient();

        using var first = await client.PostAsync("/cds-services/bmes-order-select", Json.Body(Requests.OrderSelect()));
        using var second = await client.PostAsync("/cds-services/bmes-patient-view", Json.Body(Requests.PatientView()));
        using var health = await client.GetAsync("/health/ready");
        time.Advance(TimeSpan.FromSeconds(1));
        using var third = await client.GetAsync("/cds-services");

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(second.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "probes are not limited");
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Without_a_configured_limit_nobody_is_limited()
    {
        using var factory = Host(new FakeTime(DateTimeOffset.UtcNow), new Dictionary<string, string?>());
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync("/cds-services");
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("0")]
    [TestCase("-3")]
    public void A_limit_that_is_not_a_positive_rate_stops_the_start(string value)
    {
        using var factory = Host(new FakeTime(DateTimeOffset.UtcNow), new Dictionary<string, string?> { ["Auth:AnonymousRequestsPerSecond"] = value });

        var failure = Assert.Throws<StartupConfigurationException>(() => factory.CreateClient());
        Assert.That(failure!.Message, Does.Contain("Auth:AnonymousRequestsPerSecond"));
    }

    private static BmesCdsFactory Host(FakeTime time, Dictionary<string, string?> settings) =>
        new(settings, configureServices: services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(time);
        });

    private async Task<HttpResponseMessage> DiscoverAsync(HttpClient client, string issuer, FakeTime time)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cds-services");
        var token = TokenBuilder.For(_key, issuer, BaseUrl + "/cds-services", time.Now).SignWith(_key);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
