using System.Net;
using System.Text.Json;
using BmesCds.Service.Tests.Infrastructure;
using BmesCds.Service.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace BmesCds.Service.Tests.Operations;

/// <summary>
/// /health/live and /health/ready (ASP.NET Core health checks) through the real host: ready follows the validator's
/// warm-up and a real Redis replay cache going away and coming back; live answers throughout.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HealthTests
{
    [Test]
    public async Task Ready_waits_for_the_validator_warm_up_while_live_answers()
    {
        // The warm-up is taken out and signalled by the test, so the "not yet" state is certain, not a race.
        using var factory = new BmesCdsFactory(
            new Dictionary<string, string?> { ["Validation:Incoming"] = "Warn" },
            configureServices: services => services.Remove(services.Single(d => d.ImplementationType == typeof(ValidatorWarmUp))));
        using var client = factory.CreateClient();

        var (liveBefore, live) = await ProbeAsync(client, "/health/live");
        var (readyBefore, warming) = await ProbeAsync(client, "/health/ready");
        factory.Services.GetRequiredService<ValidatorReadiness>().MarkReady(TimeSpan.FromSeconds(1));
        var (readyAfter, ready) = await ProbeAsync(client, "/health/ready");

        Assert.Multiple(() =>
        {
            Assert.That(liveBefore, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(live.GetProperty("status").GetString(), Is.EqualTo("live"));
            Assert.That(readyBefore, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(warming.GetProperty("status").GetString(), Is.EqualTo("unavailable"));
            Assert.That(Check(warming, "fhir-validator"), Is.EqualTo("Unhealthy"));
            Assert.That(Check(warming, "terminology"), Is.EqualTo("Healthy"));
            Assert.That(readyAfter, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.GetProperty("status").GetString(), Is.EqualTo("ready"));
            Assert.That(Check(ready, "fhir-validator"), Is.EqualTo("Healthy"));
        });
    }

    [Test]
    public async Task Ready_follows_the_redis_replay_cache_down_and_back_up()
    {
        var redis = await RedisServer.StartAsync();
        try
        {
            using var factory = new BmesCdsFactory(new Dictionary<string, string?>
            {
                ["Auth:Mode"] = "Required",
                ["Auth:PublicBaseUrl"] = "https://cds.example.org",
                ["Auth:TrustCdsHooksSandbox"] = "true",
                ["Auth:ReplayCache:Redis"] = redis.ConnectionString + ",connectTimeout=1000,asyncTimeout=1000",
            });
            using var client = factory.CreateClient();

            var up = await WaitForAsync(client, HttpStatusCode.OK);
            var port = redis.Port;
            redis.Dispose();
            var down = await WaitForAsync(client, HttpStatusCode.ServiceUnavailable);
            var (liveWhileDown, _) = await ProbeAsync(client, "/health/live");
            redis = await RedisServer.StartAsync(port);
            var back = await WaitForAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(90));

            Assert.Multiple(() =>
            {
                Assert.That(Check(up, "redis-replay-cache"), Is.EqualTo("Healthy"));
                Assert.That(Check(down, "redis-replay-cache"), Is.EqualTo("Unhealthy"));
                Assert.That(down.GetProperty("checks").GetProperty("redis-replay-cache").GetProperty("description").GetString(),
                    Does.StartWith("Redis replay cache").And.Not.Contain("127.0.0.1"), "the probe answer names no host");
                Assert.That(liveWhileDown, Is.EqualTo(HttpStatusCode.OK), "the process still answers: no restart wanted");
                Assert.That(Check(back, "redis-replay-cache"), Is.EqualTo("Healthy"));
            });
        }
        finally
        {
            redis.Dispose();
        }
    }

    private static string? Check(JsonElement answer, string name) =>
        answer.GetProperty("checks").GetProperty(name).GetProperty("status").GetString();

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ProbeAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await Json.ReadAsync(response));
    }

    /// <summary>Probes /health/ready until it answers <paramref name="status"/>, within a deadline.</summary>
    private static async Task<JsonElement> WaitForAsync(HttpClient client, HttpStatusCode status, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var (current, body) = await ProbeAsync(client, "/health/ready");
            if (current == status)
            {
                return body;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"/health/ready still {current}, waiting for {status}: {body}");
            await Task.Delay(100);
        }
    }
}
