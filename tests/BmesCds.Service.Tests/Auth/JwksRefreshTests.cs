using System.Diagnostics;
using BmesCds.Service.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BmesCds.Service.Tests.Auth;

/// <summary>
/// A slow JWKS endpoint (real HTTP on loopback, holding its answer) must not make calls queue: one refresh per
/// issuer is under way at a time, every caller with an unknown kid joins it, and each gives up at the JWKS budget
/// (Auth:JwksTimeoutSeconds), measured on a fake clock so that "gives up" is a fact, not a timing.
/// </summary>
[TestFixture]
public sealed class JwksRefreshTests
{
    private const string BaseUrl = "https://cds.example.org";
    private const string Audience = BaseUrl + "/cds-services/bmes-order-select";
    private const string Issuer = "https://slow-ehr.example.com";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private JwksServer _jwks = null!;

    [OneTimeSetUp]
    public async Task StartJwksServer() => _jwks = await JwksServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopJwksServer() => await _jwks.DisposeAsync();

    private (ServiceProvider Services, CdsClientTokenValidator Validator, string Path) Build(TimeProvider time, TestSigningKey published, double budgetSeconds = 30)
    {
        var path = "/" + Guid.NewGuid().ToString("N") + "/jwks.json";
        _jwks.Serve(path, TestSigningKey.Jwks(published));
        var services = AuthServices.Build(
            new Dictionary<string, string?>
            {
                ["Auth:Mode"] = "Required",
                ["Auth:PublicBaseUrl"] = BaseUrl,
                ["Auth:JwksTimeoutSeconds"] = budgetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Auth:JwksRefreshMinIntervalSeconds"] = "0",
                ["Auth:TrustedClients:0:Issuer"] = Issuer,
                ["Auth:TrustedClients:0:JwksUrl"] = _jwks.UrlOf(path).AbsoluteUri,
            },
            time);
        return (services, services.GetRequiredService<CdsClientTokenValidator>(), path);
    }

    private static Task<TokenValidationOutcome> CallWithUnknownKid(CdsClientTokenValidator validator, TimeProvider time)
    {
        using var stranger = TestSigningKey.Ec("ES384");
        return validator.ValidateAsync(TokenBuilder.For(stranger, Issuer, Audience, time.GetUtcNow()).SignWith(stranger), new Uri(Audience), CancellationToken.None);
    }

    [Test]
    public async Task Callers_waiting_for_a_slow_jwks_share_one_fetch_and_all_give_up_at_the_budget()
    {
        using var key = TestSigningKey.Ec("ES384");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (services, validator, path) = Build(time, key);
        using var _ = services;
        _jwks.Hold(path);

        var calls = Enumerable.Range(0, 10).Select(_ => CallWithUnknownKid(validator, time)).ToList();
        Assert.That(await Poll.UntilAsync(() => _jwks.Hits(path) == 1, Within), Is.True, "the refresh reached the JWKS endpoint");
        Assert.That(calls.Count(call => call.IsCompleted), Is.Zero, "every caller waits for the refresh under way");

        // One step of the budget on the fake clock: had the callers queued behind each other, only one could go.
        time.Advance(TimeSpan.FromSeconds(30));
        var outcomes = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(outcomes.Select(outcome => outcome.Failure), Is.All.EqualTo(TokenFailure.KeySourceUnavailable));
        Assert.That(_jwks.Hits(path), Is.EqualTo(1), "one fetch for all of them");

        // When the endpoint finally answers, the refresh under way stores the set: no second fetch is needed.
        _jwks.Release(path);
        var accepted = await validator.ValidateAsync(
            TokenBuilder.For(key, Issuer, Audience, time.GetUtcNow()).SignWith(key), new Uri(Audience), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(accepted.Failure, Is.EqualTo(TokenFailure.None));
        Assert.That(_jwks.Hits(path), Is.EqualTo(1));
    }

    [Test]
    public async Task A_known_key_in_an_expired_set_still_serves_when_the_refresh_is_too_slow()
    {
        using var key = TestSigningKey.Ec("ES384");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (services, validator, path) = Build(time, key);
        using var _ = services;
        var first = await validator.ValidateAsync(TokenBuilder.For(key, Issuer, Audience, time.GetUtcNow()).SignWith(key), new Uri(Audience), CancellationToken.None);
        Assert.That(first.Failure, Is.EqualTo(TokenFailure.None));

        time.Advance(TimeSpan.FromSeconds(3601)); // past Auth:JwksCacheSeconds
        _jwks.Hold(path);
        var call = validator.ValidateAsync(TokenBuilder.For(key, Issuer, Audience, time.GetUtcNow()).SignWith(key), new Uri(Audience), CancellationToken.None);
        Assert.That(await Poll.UntilAsync(() => _jwks.Hits(path) == 2, Within), Is.True, "the refresh of the expired set reached the endpoint");
        time.Advance(TimeSpan.FromSeconds(30));
        var outcome = await call.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(outcome.Failure, Is.EqualTo(TokenFailure.None), "the stale key serves while the endpoint is slow");
        _jwks.Release(path);
    }

    /// <summary>Measurement, not a check: 20 unknown-kid calls against a JWKS endpoint that never answers, real clock.</summary>
    [Test]
    [Explicit("measurement for docs/reliability.md; takes about one JWKS budget")]
    public async Task Measure_unknown_kid_calls_against_a_jwks_endpoint_that_never_answers()
    {
        using var key = TestSigningKey.Ec("ES384");
        var (services, validator, path) = Build(TimeProvider.System, key, budgetSeconds: 5);
        using var _ = services;
        _jwks.Hold(path);

        var started = Stopwatch.GetTimestamp();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => CallWithUnknownKid(validator, TimeProvider.System)));
        var elapsed = Stopwatch.GetElapsedTime(started);

        TestContext.Out.WriteLine($"20 concurrent unknown-kid calls, JWKS endpoint silent, budget 5 s: all answered in {elapsed.TotalSeconds:F2} s; {_jwks.Hits(path)} fetch(es); outcomes {string.Join(",", outcomes.Select(o => o.Failure).Distinct())}");
        _jwks.Release(path);
    }
}
