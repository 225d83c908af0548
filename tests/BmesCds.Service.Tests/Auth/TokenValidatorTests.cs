using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BmesCds.Service.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace BmesCds.Service.Tests.Auth;

/// <summary>The token rules of CDS Hooks "Trusting CDS Clients", one test per attack or rule, checked on the reason.</summary>
[TestFixture]
public sealed class TokenValidatorTests
{
    private const string BaseUrl = "https://cds.example.org";
    private const string Audience = BaseUrl + "/cds-services/bmes-order-select";
    private const string PinnedIssuer = "https://ehr.example.com";
    private const string FetchedIssuer = "https://fetched-ehr.example.com";
    private const string JkuOnlyIssuer = "https://jku-ehr.example.com";
    private const string TenantIssuer = "https://tenant-ehr.example.com";
    private const string Tenant = "2ddd6c3a-8e9a-44c6-a305-52111ad302a2";

    private JwksServer _jwks = null!;
    private TestSigningKey _ec384 = null!;
    private TestSigningKey _rsa384 = null!;
    private TestSigningKey _fetched = null!;
    private TestSigningKey _tenantKey = null!;
    private FakeTime _time = null!;
    private LoopbackOnlyHandler _fetcher = null!;
    private ServiceProvider _services = null!;
    private CdsClientTokenValidator _validator = null!;

    [OneTimeSetUp]
    public async Task StartJwksServer()
    {
        _jwks = await JwksServer.StartAsync();
        _ec384 = TestSigningKey.Ec("ES384");
        _rsa384 = TestSigningKey.Rsa("RS384");
        _tenantKey = TestSigningKey.Ec("ES384");
    }

    [OneTimeTearDown]
    public async Task StopJwksServer()
    {
        await _jwks.DisposeAsync();
        _ec384.Dispose();
        _rsa384.Dispose();
        _tenantKey.Dispose();
    }

    [SetUp]
    public void BuildValidator()
    {
        _fetched = TestSigningKey.Ec("ES384");
        var path = "/" + Guid.NewGuid().ToString("N");
        _jwks.Serve(path + "/jwks.json", TestSigningKey.Jwks(_fetched));
        _time = new FakeTime(DateTimeOffset.UtcNow);
        _fetcher = new LoopbackOnlyHandler();
        _services = AuthServices.Build(Config(path), _time, _fetcher);
        _validator = _services.GetRequiredService<CdsClientTokenValidator>();
    }

    [TearDown]
    public void DisposeServices()
    {
        _services.Dispose();
        _fetcher.Dispose();
        _fetched.Dispose();
    }

    private Dictionary<string, string?> Config(string jwksPath) => new()
    {
        ["Auth:Mode"] = "Required",
        ["Auth:PublicBaseUrl"] = BaseUrl,
        ["Auth:ClockSkewSeconds"] = "30",
        ["Auth:MaxTokenLifetimeSeconds"] = "600",
        ["Auth:JwksRefreshMinIntervalSeconds"] = "60",
        ["Auth:TrustedClients:0:Issuer"] = PinnedIssuer,
        ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(_ec384, _rsa384),
        ["Auth:TrustedClients:1:Issuer"] = FetchedIssuer,
        ["Auth:TrustedClients:1:JwksUrl"] = _jwks.UrlOf(jwksPath + "/jwks.json").AbsoluteUri,
        ["Auth:TrustedClients:2:Issuer"] = JkuOnlyIssuer,
        ["Auth:TrustedClients:2:JkuAllowList:0"] = _jwks.UrlOf(jwksPath + "/").AbsoluteUri,
        ["Auth:TrustedClients:3:Issuer"] = TenantIssuer,
        ["Auth:TrustedClients:3:Jwks"] = TestSigningKey.Jwks(_tenantKey),
        ["Auth:TrustedClients:3:Tenant"] = Tenant,
    };

    private TokenBuilder Token(TestSigningKey key, string issuer = PinnedIssuer, string audience = Audience) =>
        TokenBuilder.For(key, issuer, audience, _time.GetUtcNow());

    private Task<TokenValidationOutcome> Validate(string token, string endpoint = Audience) =>
        _validator.ValidateAsync(token, new Uri(endpoint), CancellationToken.None);

    private async Task AssertRefused(string token, TokenFailure expected, string endpoint = Audience)
    {
        var outcome = await Validate(token, endpoint);
        Assert.That(outcome.Failure, Is.EqualTo(expected));
    }

    private async Task AssertAccepted(string token, string endpoint = Audience)
    {
        var outcome = await Validate(token, endpoint);
        Assert.That(outcome.Failure, Is.EqualTo(TokenFailure.None));
    }

    // ---- Accepted ----

    [Test]
    public async Task Es384_token_signed_with_a_pinned_key_is_accepted()
    {
        var outcome = await Validate(Token(_ec384).SignWith(_ec384));

        Assert.That(outcome.Succeeded, Is.True, outcome.Failure.ToString());
        Assert.That(outcome.Client!.Issuer, Is.EqualTo(PinnedIssuer));
        Assert.That(outcome.Client.KeyId, Is.EqualTo(_ec384.Kid));
    }

    [Test]
    public async Task Rs384_token_signed_with_a_pinned_key_is_accepted() =>
        await AssertAccepted(Token(_rsa384).SignWith(_rsa384));

    [TestCase("ES256")]
    [TestCase("ES512")]
    [TestCase("RS256")]
    [TestCase("RS512")]
    [TestCase("PS256")]
    [TestCase("PS384")]
    [TestCase("PS512")]
    public async Task Every_allowed_asymmetric_algorithm_is_accepted(string alg)
    {
        using var key = alg.StartsWith("ES", StringComparison.Ordinal) ? TestSigningKey.Ec(alg) : TestSigningKey.Rsa(alg);
        var path = "/" + Guid.NewGuid().ToString("N") + "/jwks.json";
        _jwks.Serve(path, TestSigningKey.Jwks(key));
        var config = Config("/unused");
        config["Auth:TrustedClients:1:JwksUrl"] = _jwks.UrlOf(path).AbsoluteUri;
        using var services = AuthServices.Build(config, _time);
        var validator = services.GetRequiredService<CdsClientTokenValidator>();

        var outcome = await validator.ValidateAsync(Token(key, FetchedIssuer).SignWith(key), new Uri(Audience), CancellationToken.None);

        Assert.That(outcome.Failure, Is.EqualTo(TokenFailure.None));
    }

    [Test]
    public async Task Key_from_the_configured_jwks_url_is_fetched_once_and_cached()
    {
        await AssertAccepted(Token(_fetched, FetchedIssuer).SignWith(_fetched));
        await AssertAccepted(Token(_fetched, FetchedIssuer).SignWith(_fetched));

        Assert.That(_fetcher.Requests, Is.EqualTo(1));
    }

    [Test]
    public async Task Key_from_an_allow_listed_jku_is_fetched_and_accepted()
    {
        using var key = TestSigningKey.Ec("ES384");
        var folder = "/" + Guid.NewGuid().ToString("N") + "/";
        var jku = _jwks.UrlOf(folder + "client.json");
        _jwks.Serve(jku.AbsolutePath, TestSigningKey.Jwks(key));
        var config = Config("/unused");
        config["Auth:TrustedClients:2:JkuAllowList:0"] = _jwks.UrlOf(folder).AbsoluteUri;
        using var services = AuthServices.Build(config, _time);
        var validator = services.GetRequiredService<CdsClientTokenValidator>();
        var token = Token(key, JkuOnlyIssuer).WithHeader("jku", jku.AbsoluteUri).SignWith(key);

        var outcome = await validator.ValidateAsync(token, new Uri(Audience), CancellationToken.None);

        Assert.That(outcome.Failure, Is.EqualTo(TokenFailure.None));
        Assert.That(_jwks.Hits(jku.AbsolutePath), Is.EqualTo(1));
    }

    [Test]
    public async Task Rotated_key_is_accepted_once_the_jwks_is_refetched()
    {
        await AssertAccepted(Token(_fetched, FetchedIssuer).SignWith(_fetched));
        using var rotated = TestSigningKey.Ec("ES384");
        var url = new Uri(_services.GetRequiredService<TrustedClientRegistry>().Find(FetchedIssuer)!.JwksUrl!.AbsoluteUri);
        _jwks.Serve(url.AbsolutePath, TestSigningKey.Jwks(_fetched, rotated));

        // Within the refresh interval an unknown kid does not refetch: the new key is not known yet.
        _time.Advance(TimeSpan.FromSeconds(10));
        await AssertRefused(Token(rotated, FetchedIssuer).SignWith(rotated), TokenFailure.UnknownKey);
        _time.Advance(TimeSpan.FromSeconds(60));
        await AssertAccepted(Token(rotated, FetchedIssuer).SignWith(rotated));
        await AssertAccepted(Token(_fetched, FetchedIssuer).SignWith(_fetched));

        Assert.That(_fetcher.Requests, Is.EqualTo(2));
    }

    [Test]
    public async Task A_flood_of_unknown_kids_fetches_the_jwks_at_most_once_per_interval()
    {
        await AssertAccepted(Token(_fetched, FetchedIssuer).SignWith(_fetched));
        _time.Advance(TimeSpan.FromSeconds(61));

        for (var i = 0; i < 50; i++)
        {
            using var stranger = TestSigningKey.Ec("ES384");
            await AssertRefused(Token(stranger, FetchedIssuer).SignWith(stranger), TokenFailure.UnknownKey);
        }

        Assert.That(_fetcher.Requests, Is.EqualTo(2));
    }

    [Test]
    public async Task Audience_with_a_trailing_slash_is_accepted() =>
        await AssertAccepted(Token(_ec384, audience: Audience + "/").SignWith(_ec384));

    [Test]
    public async Task Audience_as_an_array_holding_the_url_called_is_accepted() =>
        await AssertAccepted(Token(_ec384).With("aud", new JsonArray("https://other.example.org", Audience)).SignWith(_ec384));

    [Test]
    public async Task Token_issued_slightly_ahead_within_the_clock_skew_is_accepted() =>
        await AssertAccepted(Token(_ec384).With("iat", _time.GetUtcNow().AddSeconds(20).ToUnixTimeSeconds()).SignWith(_ec384));

    [Test]
    public async Task Token_with_the_configured_tenant_is_accepted()
    {
        var outcome = await Validate(Token(_tenantKey, TenantIssuer).With("tenant", Tenant).SignWith(_tenantKey));

        Assert.That(outcome.Failure, Is.EqualTo(TokenFailure.None));
        Assert.That(outcome.Client!.Tenant, Is.EqualTo(Tenant));
    }

    [Test]
    public async Task Spec_example_jwt_signed_elsewhere_verifies_with_the_spec_example_key()
    {
        // The complete JWT and JWK Set printed in CDS Hooks 2.0.1 "Trusting CDS Clients": proof that an ES384 signature
        // made by another implementation verifies here. Its lifetime (years) and aud need a permissive, hand-built setup.
        const string SpecJwks = """{"keys":[{"kty":"EC","use":"sig","crv":"P-384","kid":"example-kid","x":"46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEk","y":"XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI","alg":"ES384"}]}""";
        const string SpecJwt = "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCIsImtpZCI6ImV4YW1wbGUta2lkIiwiamt1IjoiaHR0cHM6Ly9maGlyLWVoci5leGFtcGxlLmNvbS9qd2tfdXJpIn0.eyJpc3MiOiJodHRwczovL2ZoaXItZWhyLmV4YW1wbGUuY29tLyIsImF1ZCI6Imh0dHBzOi8vY2RzLmV4YW1wbGUub3JnL2Nkcy1zZXJ2aWNlcy9zb21lLXNlcnZpY2UiLCJleHAiOjE0MjI1Njg4NjAsImlhdCI6MTMxMTI4MDk3MCwianRpIjoiZWUyMmIwMjEtZTFiNy00NjExLWJhNWItOGVlYzZhMzNhYzFlIiwidGVuYW50IjoiMmRkZDZjM2EtOGU5YS00NGM2LWEzMDUtNTIxMTFhZDMwMmEyIn0.d1WfLjGRKlcWB94l9do4cM8REXeYJLL6SGUBO8VHZhfM8mwKYP70EMxJ67War4TQblEpaQrp11wx5p7oPFm2ETYgCicS84vXWEIYTdjooZdooCSDf2L8-i4awdoUwiEb";
        var options = new CdsClientAuthOptions { PublicBaseUrl = "https://cds.example.org", MaxTokenLifetimeSeconds = int.MaxValue };
        options.TrustedClients.Add(new TrustedClientOptions { Issuer = "https://fhir-ehr.example.com/", Jwks = SpecJwks, Tenant = "2ddd6c3a-8e9a-44c6-a305-52111ad302a2" });
        options.TrustedClients[0].JkuAllowList.Add("https://fhir-ehr.example.com/jwk_uri");
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var time = new FakeTime(DateTimeOffset.FromUnixTimeSeconds(1422568860 - 60));
        using var services = AuthServices.Build(Config("/unused"), time);
        var validator = new CdsClientTokenValidator(
            TrustedClientRegistry.Build(options, AppContext.BaseDirectory),
            services.GetRequiredService<JwksKeyResolver>(),
            new InMemoryReplayCache(time),
            wrapped,
            time);

        var outcome = await validator.ValidateAsync(SpecJwt, new Uri("https://cds.example.org/cds-services/some-service"), CancellationToken.None);

        Assert.That(outcome.Failure, Is.EqualTo(TokenFailure.None));
    }

    // ---- Refused: one test per attack or rule ----

    [Test]
    public async Task No_token_is_refused() => await AssertRefused("", TokenFailure.MissingToken);

    [TestCase("not-a-jwt")]
    [TestCase("a.b")]
    [TestCase("a.b.c")]
    [TestCase("eyJhbGciOiJFUzM4NCJ9.bm90IGpzb24.c2ln")]
    [TestCase("a.b.c.d.e")]
    [TestCase("W10.e30.c2ln")]
    public async Task Malformed_token_is_refused(string token) => await AssertRefused(token, TokenFailure.Malformed);

    [Test]
    public async Task Oversized_token_is_refused_before_parsing() =>
        await AssertRefused(Token(_ec384).With("pad", new string('x', 20_000)).SignWith(_ec384), TokenFailure.Malformed);

    [TestCase("none")]
    [TestCase("None")]
    [TestCase("NONE")]
    public async Task Alg_none_is_refused(string none) =>
        await AssertRefused(Token(_ec384).WithHeader("alg", none).Unsigned(), TokenFailure.DisallowedAlgorithm);

    [Test]
    public async Task Alg_none_with_a_signature_part_is_refused() =>
        await AssertRefused(Token(_ec384).WithHeader("alg", "none").SignWith(_ec384), TokenFailure.DisallowedAlgorithm);

    [TestCase("HS256")]
    [TestCase("HS384")]
    [TestCase("HS512")]
    public async Task Hmac_signed_with_the_public_key_as_secret_is_refused(string alg)
    {
        // Algorithm confusion: a verifier that feeds "the key" to whatever alg the header names would verify this HMAC
        // with the public key, which the attacker knows. Try every form the public key is published in.
        foreach (var secret in new[] { _rsa384.PublicKeyPem(), _rsa384.PublicJwk().ToJsonString(), TestSigningKey.Jwks(_ec384, _rsa384) })
        {
            var token = Token(_rsa384).WithHeader("alg", alg).SignWith(data => Hmac(alg, Encoding.UTF8.GetBytes(secret), data));
            await AssertRefused(token, TokenFailure.DisallowedAlgorithm);
        }
    }

    [Test]
    public async Task Rs384_header_on_an_ec_key_is_refused() =>
        await AssertRefused(Token(_ec384).WithHeader("alg", "RS384").SignWith(_ec384), TokenFailure.KeyAlgorithmMismatch);

    [Test]
    public async Task Es256_header_on_a_p384_key_is_refused()
    {
        using var key = TestSigningKey.Ec("ES384");
        var config = Config("/unused");
        config["Auth:TrustedClients:0:Jwks"] = $$"""{"keys":[{{key.PublicJwk(withAlg: false).ToJsonString()}}]}""";
        using var services = AuthServices.Build(config, _time);
        var validator = services.GetRequiredService<CdsClientTokenValidator>();
        var token = Token(key).WithHeader("alg", "ES256").SignWith(key.As("ES256", key.Kid));

        var outcome = await validator.ValidateAsync(token, new Uri(Audience), CancellationToken.None);

        Assert.That(outcome.Failure, Is.EqualTo(TokenFailure.KeyAlgorithmMismatch));
    }

    [Test]
    public async Task Wrong_signature_is_refused()
    {
        using var impostor = TestSigningKey.Ec("ES384");

        await AssertRefused(Token(_ec384).SignWith(impostor), TokenFailure.InvalidSignature);
    }

    [Test]
    public async Task Payload_changed_after_signing_is_refused()
    {
        var signed = Token(_ec384).SignWith(_ec384).Split('.');
        var forged = Token(_ec384).With("tenant", "another-hospital").SigningInput.Split('.');

        await AssertRefused($"{signed[0]}.{forged[1]}.{signed[2]}", TokenFailure.InvalidSignature);
    }

    [Test]
    public async Task Unknown_issuer_is_refused() =>
        await AssertRefused(Token(_ec384, issuer: "https://evil.example.com").SignWith(_ec384), TokenFailure.UntrustedIssuer);

    [Test]
    public async Task Issuer_differing_only_by_a_trailing_slash_is_refused() =>
        await AssertRefused(Token(_ec384, issuer: PinnedIssuer + "/").SignWith(_ec384), TokenFailure.UntrustedIssuer);

    [Test]
    public async Task Jku_off_the_allow_list_is_refused_and_never_fetched()
    {
        // The attacker publishes their own key and points jku at it, claiming a trusted issuer.
        using var attacker = TestSigningKey.Ec("ES384");
        _jwks.Serve("/attacker/jwks.json", TestSigningKey.Jwks(attacker));
        var token = Token(attacker, JkuOnlyIssuer).WithHeader("jku", _jwks.UrlOf("/attacker/jwks.json").AbsoluteUri).SignWith(attacker);

        await AssertRefused(token, TokenFailure.JkuNotAllowed);
        Assert.That(_jwks.Hits("/attacker/jwks.json"), Is.Zero);
    }

    [TestCase("https://jwks.example.com.evil.example/keys.json")]
    [TestCase("http://example.org/keys.json")]
    [TestCase("https://user@jwks.example.com/keys/a.json")]
    [TestCase("https://jwks.example.com/keys-evil/a.json")]
    [TestCase("https://jwks.example.com:8443/keys/a.json")]
    [TestCase("https://jwks.example.com/keys/../other/a.json")]
    public void Jku_that_only_looks_like_an_allow_listed_prefix_is_not_under_it(string jku)
    {
        var prefix = new Uri("https://jwks.example.com/keys");

        Assert.That(KeyUrls.TryParse(jku, out var parsed) && KeyUrls.IsUnder(parsed, prefix), Is.False);
    }

    [Test]
    public void Jku_under_an_allow_listed_prefix_is_under_it() =>
        Assert.That(KeyUrls.TryParse("https://JWKS.example.com/keys/a.json", out var jku) && KeyUrls.IsUnder(jku, new Uri("https://jwks.example.com/keys/")), Is.True);

    [Test]
    public async Task Jku_redirecting_elsewhere_is_not_followed()
    {
        using var key = TestSigningKey.Ec("ES384");
        var config = Config("/unused");
        config["Auth:TrustedClients:2:JkuAllowList:0"] = _jwks.UrlOf("/redirect/").AbsoluteUri;
        using var services = AuthServices.Build(config, _time);
        var validator = services.GetRequiredService<CdsClientTokenValidator>();
        var token = Token(key, JkuOnlyIssuer).WithHeader("jku", _jwks.UrlOf("/redirect/jwks.json").AbsoluteUri).SignWith(key);

        var outcome = await validator.ValidateAsync(token, new Uri(Audience), CancellationToken.None);

        Assert.That(outcome.Failure, Is.EqualTo(TokenFailure.KeySourceUnavailable));
    }

    [Test]
    public async Task Unknown_kid_is_refused()
    {
        using var stranger = TestSigningKey.Ec("ES384");

        await AssertRefused(Token(stranger).SignWith(stranger), TokenFailure.UnknownKey);
    }

    [Test]
    public async Task Missing_kid_is_refused() =>
        await AssertRefused(Token(_ec384).WithHeader("kid", null).SignWith(_ec384), TokenFailure.MissingKid);

    [Test]
    public async Task Expired_token_is_refused()
    {
        var token = Token(_ec384).SignWith(_ec384);
        _time.Advance(TimeSpan.FromSeconds(300 + 31));

        await AssertRefused(token, TokenFailure.Expired);
    }

    [Test]
    public async Task Token_issued_in_the_future_is_refused() =>
        await AssertRefused(Token(_ec384).With("iat", _time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds()).SignWith(_ec384), TokenFailure.IssuedInFuture);

    [Test]
    public async Task Token_not_valid_before_a_future_time_is_refused() =>
        await AssertRefused(Token(_ec384).With("nbf", _time.GetUtcNow().AddMinutes(2).ToUnixTimeSeconds()).SignWith(_ec384), TokenFailure.NotYetValid);

    [Test]
    public async Task Lifetime_longer_than_the_maximum_is_refused() =>
        await AssertRefused(Token(_ec384).With("exp", _time.GetUtcNow().AddHours(2).ToUnixTimeSeconds()).SignWith(_ec384), TokenFailure.LifetimeTooLong);

    [TestCase("exp")]
    [TestCase("iat")]
    [TestCase("jti")]
    public async Task Token_without_a_required_claim_is_refused(string claim) =>
        await AssertRefused(Token(_ec384).With(claim, null).SignWith(_ec384), TokenFailure.MissingClaim);

    [TestCase("exp")]
    [TestCase("iat")]
    [TestCase("nbf")]
    public async Task Time_claim_given_as_a_string_is_refused(string claim)
    {
        // The same instant as the number would be: only the JSON type is wrong.
        var seconds = _time.GetUtcNow().AddSeconds(claim == "exp" ? 300 : 0).ToUnixTimeSeconds();

        await AssertRefused(Token(_ec384).With(claim, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)).SignWith(_ec384), TokenFailure.Malformed);
    }

    [TestCase("true")]
    [TestCase("[1700000000]")]
    [TestCase("{\"t\":1700000000}")]
    public async Task Exp_of_another_json_type_is_refused(string json) =>
        await AssertRefused(Token(_ec384).With("exp", System.Text.Json.Nodes.JsonNode.Parse(json)).SignWith(_ec384), TokenFailure.Malformed);

    [Test]
    public async Task Exp_given_as_json_null_is_refused()
    {
        var token = Token(_ec384);
        token.Payload["exp"] = null;

        await AssertRefused(token.SignWith(_ec384), TokenFailure.Malformed);
    }

    [Test]
    public async Task Exp_as_a_fractional_number_is_accepted() =>
        await AssertAccepted(Token(_ec384).With("exp", _time.GetUtcNow().AddSeconds(300).ToUnixTimeSeconds() + 0.5).SignWith(_ec384));

    [TestCase("https://cds.example.org/cds-services/another-service")]
    [TestCase("https://cds.example.org/cds-services")]
    [TestCase("https://attacker.example.org/cds-services/bmes-order-select")]
    [TestCase("http://cds.example.org/cds-services/bmes-order-select")]
    [TestCase("https://cds.example.org/cds-services/bmes-order-select/feedback")]
    public async Task Wrong_audience_is_refused(string audience) =>
        await AssertRefused(Token(_ec384, audience: audience).SignWith(_ec384), TokenFailure.WrongAudience);

    [Test]
    public async Task Replayed_jti_is_refused()
    {
        var token = Token(_ec384).SignWith(_ec384);
        await AssertAccepted(token);

        await AssertRefused(token, TokenFailure.Replayed);
    }

    [Test]
    public async Task Same_jti_in_a_new_token_is_refused()
    {
        var first = Token(_ec384).With("jti", "fixed-nonce").SignWith(_ec384);
        var second = Token(_rsa384).With("jti", "fixed-nonce").SignWith(_rsa384);
        await AssertAccepted(first);

        await AssertRefused(second, TokenFailure.Replayed);
    }

    [Test]
    public async Task Refused_token_does_not_use_up_its_jti()
    {
        var wrongAudience = Token(_ec384, audience: BaseUrl + "/cds-services").With("jti", "once").SignWith(_ec384);
        await AssertRefused(wrongAudience, TokenFailure.WrongAudience);

        await AssertAccepted(Token(_ec384).With("jti", "once").SignWith(_ec384));
    }

    [Test]
    public async Task Same_token_sent_many_times_at_once_is_accepted_exactly_once()
    {
        var token = Token(_ec384).SignWith(_ec384);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => Validate(token))));

        Assert.That(outcomes.Count(o => o.Succeeded), Is.EqualTo(1));
        Assert.That(outcomes.Where(o => !o.Succeeded).Select(o => o.Failure), Is.All.EqualTo(TokenFailure.Replayed));
    }

    [Test]
    public async Task Remembered_jti_is_forgotten_after_its_token_expired()
    {
        var cache = new InMemoryReplayCache(_time);
        Assert.That(await cache.TryRegisterAsync("k", _time.GetUtcNow().AddSeconds(60), CancellationToken.None), Is.True);
        Assert.That(await cache.TryRegisterAsync("k", _time.GetUtcNow().AddSeconds(60), CancellationToken.None), Is.False);

        _time.Advance(TimeSpan.FromSeconds(61));

        Assert.That(await cache.TryRegisterAsync("k", _time.GetUtcNow().AddSeconds(60), CancellationToken.None), Is.True);
    }

    [Test]
    public async Task Tenant_mismatch_is_refused() =>
        await AssertRefused(Token(_tenantKey, TenantIssuer).With("tenant", "another-hospital").SignWith(_tenantKey), TokenFailure.TenantMismatch);

    [Test]
    public async Task Missing_tenant_is_refused_when_one_is_configured() =>
        await AssertRefused(Token(_tenantKey, TenantIssuer).SignWith(_tenantKey), TokenFailure.TenantMismatch);

    [Test]
    public async Task Key_of_one_issuer_does_not_sign_for_another() =>
        await AssertRefused(Token(_ec384, TenantIssuer).With("tenant", Tenant).SignWith(_ec384), TokenFailure.UnknownKey);

    [TestCase("crit", """["exp"]""")]
    [TestCase("typ", "\"at+jwt\"")]
    public async Task Header_this_service_does_not_understand_is_refused(string name, string json) =>
        await AssertRefused(Token(_ec384).WithHeader(name, JsonNode.Parse(json)).SignWith(_ec384), TokenFailure.UnsupportedHeader);

    private static byte[] Hmac(string alg, byte[] secret, byte[] data) => alg switch
    {
        "HS256" => HMACSHA256.HashData(secret, data),
        "HS384" => HMACSHA384.HashData(secret, data),
        _ => HMACSHA512.HashData(secret, data),
    };
}
