using System.Net;
using System.Net.Http.Headers;
using BmesCds.Service.Auth;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BmesCds.Service.Tests.Auth;

/// <summary>The shared replay cache against a real redis-server that the fixture starts on loopback and stops.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisReplayCacheTests
{
    private RedisServer _redis = null!;

    [OneTimeSetUp]
    public async Task StartRedis() => _redis = await RedisServer.StartAsync();

    [OneTimeTearDown]
    public void StopRedis() => _redis?.Dispose();

    [Test]
    public async Task Token_accepted_by_one_instance_is_refused_as_a_replay_by_another()
    {
        using var key = TestSigningKey.Ec("ES384");
        var config = new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Required",
            ["Auth:PublicBaseUrl"] = "https://cds.example.org",
            ["Auth:TrustedClients:0:Issuer"] = "https://ehr.example.com",
            ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(key),
            ["Auth:ReplayCache:Redis"] = _redis.ConnectionString,
        };
        using var instanceA = AuthServices.Build(config, TimeProvider.System);
        using var instanceB = AuthServices.Build(config, TimeProvider.System);
        Assert.That(instanceA.GetRequiredService<IReplayCache>(), Is.InstanceOf<RedisReplayCache>());
        var endpoint = new Uri("https://cds.example.org/cds-services/x");
        var token = TokenBuilder.For(key, "https://ehr.example.com", endpoint.AbsoluteUri, DateTimeOffset.UtcNow).SignWith(key);

        var first = await instanceA.GetRequiredService<CdsClientTokenValidator>().ValidateAsync(token, endpoint, CancellationToken.None);
        var replay = await instanceB.GetRequiredService<CdsClientTokenValidator>().ValidateAsync(token, endpoint, CancellationToken.None);

        Assert.That(first.Failure, Is.EqualTo(TokenFailure.None));
        Assert.That(replay.Failure, Is.EqualTo(TokenFailure.Replayed));
    }

    [Test]
    public async Task Simultaneous_registrations_of_one_jti_on_two_connections_let_exactly_one_through()
    {
        using var a = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        using var b = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var caches = new[] { new RedisReplayCache(a, TimeProvider.System), new RedisReplayCache(b, TimeProvider.System) };
        var jti = "race-" + Guid.NewGuid();

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            caches[i % 2].TryRegisterAsync(jti, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None).AsTask()));

        Assert.That(results.Count(r => r), Is.EqualTo(1));
    }

    [Test]
    public async Task Remembered_jti_is_forgotten_when_its_token_expires()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var cache = new RedisReplayCache(redis, TimeProvider.System);
        var jti = "expiring-" + Guid.NewGuid();

        Assert.That(await cache.TryRegisterAsync(jti, DateTimeOffset.UtcNow.AddSeconds(1), CancellationToken.None), Is.True);
        Assert.That(await cache.TryRegisterAsync(jti, DateTimeOffset.UtcNow.AddSeconds(1), CancellationToken.None), Is.False);

        // Redis expires the key on its own clock: wait for it (polling, with a deadline) instead of sleeping a fixed time.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var registeredAgain = false;
        while (!registeredAgain && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            registeredAgain = await cache.TryRegisterAsync(jti, DateTimeOffset.UtcNow.AddSeconds(1), CancellationToken.None);
        }

        Assert.That(registeredAgain, Is.True, "the jti is accepted again once its token has expired");
    }

    [Test]
    public async Task Redis_lost_while_running_answers_503_not_200()
    {
        using var key = TestSigningKey.Ec("ES384");
        var own = await RedisServer.StartAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:PublicBaseUrl"] = "https://cds.example.org",
            ["Auth:TrustedClients:0:Issuer"] = "https://ehr.example.com",
            ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(key),
            ["Auth:ReplayCache:Redis"] = own.ConnectionString + ",asyncTimeout=1000,syncTimeout=1000",
        });
        builder.Services.AddCdsClientAuthentication(builder.Configuration, builder.Environment);
        await using var app = builder.Build();
        app.UseCdsClientAuthentication();
        app.MapGet("/cds-services", () => "{}");
        await app.StartAsync();
        using var client = app.GetTestClient();
        own.Dispose();
        var token = TokenBuilder.For(key, "https://ehr.example.com", "https://cds.example.org/cds-services", DateTimeOffset.UtcNow).SignWith(key);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cds-services");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    [Test]
    public void Unreachable_redis_stops_the_start()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:PublicBaseUrl"] = "https://cds.example.org",
            ["Auth:TrustCdsHooksSandbox"] = "true",
            ["Auth:ReplayCache:Redis"] = $"127.0.0.1:{RedisServer.FreePort()},connectTimeout=500",
        });
        builder.Services.AddCdsClientAuthentication(builder.Configuration, builder.Environment);
        using var app = builder.Build();

        Assert.Throws<RedisConnectionException>(() => app.UseCdsClientAuthentication());
    }
}
