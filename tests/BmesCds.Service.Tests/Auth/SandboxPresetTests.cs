using System.Text.Json.Nodes;
using BmesCds.CdsHooks.Responses;
using BmesCds.Service.Auth;
using BmesCds.Service.CdsServices;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BmesCds.Service.Tests.Auth;

/// <summary>The public CDS Hooks sandbox calling a local instance: its JWT as captured (Fixtures/sandbox-jwt-shape.json).
/// We cannot sign with the sandbox's private key, so the shape is proven with our key under the sandbox's issuer and kid,
/// and the real preset is proven to refuse anything not signed by the sandbox's key.</summary>
[TestFixture]
public sealed class SandboxPresetTests
{
    private const string SandboxKid = "44823f3d-0b01-4a6c-a80e-b9d3e8a7226f";

    private static (JsonObject Header, JsonObject Payload) Capture()
    {
        var capture = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Auth", "Fixtures", "sandbox-jwt-shape.json")))!;
        return (capture["header"]!.AsObject().DeepClone().AsObject(), capture["payload"]!.AsObject().DeepClone().AsObject());
    }

    private static string SignCapture(TestSigningKey key)
    {
        var (header, payload) = Capture();
        var builder = new TokenBuilder();
        foreach (var (name, value) in header)
        {
            builder.WithHeader(name, value?.DeepClone());
        }

        foreach (var (name, value) in payload)
        {
            builder.With(name, value?.DeepClone());
        }

        return builder.SignWith(key);
    }

    /// <summary>The capture's clock: 10 s after its iat.</summary>
    private static FakeTime CaptureTime() => new(DateTimeOffset.FromUnixTimeSeconds(Capture().Payload["iat"]!.GetValue<long>() + 10));

    private static Uri CalledUrl() => new(Capture().Payload["aud"]!.GetValue<string>());

    private static Dictionary<string, string?> LocalInstance() => new()
    {
        ["Auth:Mode"] = "Required",
        ["Auth:PublicBaseUrl"] = "http://127.0.0.1:8191",
    };

    [Test]
    public async Task Sandbox_shaped_token_validates_under_the_sandbox_issuer_and_kid_without_fetching_its_jku()
    {
        using var ours = TestSigningKey.Ec("ES384", SandboxKid);
        var config = LocalInstance();
        config["Auth:TrustedClients:0:Issuer"] = TrustedClientRegistry.SandboxIssuer;
        config["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(ours);
        config["Auth:TrustedClients:0:JkuAllowList:0"] = TrustedClientRegistry.SandboxJku;
        var fetcher = new LoopbackOnlyHandler();
        using var services = AuthServices.Build(config, CaptureTime(), fetcher);

        var outcome = await services.GetRequiredService<CdsClientTokenValidator>().ValidateAsync(SignCapture(ours), CalledUrl(), CancellationToken.None);

        Assert.That(outcome.Failure, Is.EqualTo(TokenFailure.None));
        Assert.That(outcome.Client!.Issuer, Is.EqualTo("https://sandbox.cds-hooks.org"));
        Assert.That(fetcher.Requests, Is.Zero, "the sandbox's jku must not be fetched: the key is configured");
    }

    [Test]
    public async Task Sandbox_kid_signed_by_another_key_is_refused_by_the_real_preset()
    {
        using var impostor = TestSigningKey.Ec("ES384", SandboxKid);
        var config = LocalInstance();
        config["Auth:TrustCdsHooksSandbox"] = "true";
        var fetcher = new LoopbackOnlyHandler();
        using var services = AuthServices.Build(config, CaptureTime(), fetcher);

        var outcome = await services.GetRequiredService<CdsClientTokenValidator>().ValidateAsync(SignCapture(impostor), CalledUrl(), CancellationToken.None);

        Assert.That(outcome.Failure, Is.EqualTo(TokenFailure.InvalidSignature));
        Assert.That(fetcher.Requests, Is.Zero);
    }

    [Test]
    public async Task Sandbox_shaped_token_is_refused_when_the_preset_is_off()
    {
        using var ours = TestSigningKey.Ec("ES384", SandboxKid);
        var config = LocalInstance();
        config["Auth:TrustedClients:0:Issuer"] = "https://ehr.example.com";
        config["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(ours);
        using var services = AuthServices.Build(config, CaptureTime());

        var outcome = await services.GetRequiredService<CdsClientTokenValidator>().ValidateAsync(SignCapture(ours), CalledUrl(), CancellationToken.None);

        Assert.That(outcome.Failure, Is.EqualTo(TokenFailure.UntrustedIssuer));
    }

    [Test]
    public async Task Sandbox_token_for_another_instance_is_refused_by_the_preset()
    {
        using var ours = TestSigningKey.Ec("ES384", SandboxKid);
        var config = LocalInstance();
        config["Auth:PublicBaseUrl"] = "https://cds.example.org";
        config["Auth:TrustedClients:0:Issuer"] = TrustedClientRegistry.SandboxIssuer;
        config["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(ours);
        config["Auth:TrustedClients:0:JkuAllowList:0"] = TrustedClientRegistry.SandboxJku;
        using var services = AuthServices.Build(config, CaptureTime());

        var outcome = await services.GetRequiredService<CdsClientTokenValidator>()
            .ValidateAsync(SignCapture(ours), new Uri("https://cds.example.org/cds-services/bmes-order-select"), CancellationToken.None);

        Assert.That(outcome.Failure, Is.EqualTo(TokenFailure.WrongAudience));
    }

    [Test]
    public void Preset_ships_the_sandbox_public_key_inside_the_assembly()
    {
        var sandbox = TrustedClientRegistry.Sandbox();

        Assert.That(sandbox.Issuer, Is.EqualTo("https://sandbox.cds-hooks.org"));
        Assert.That(sandbox.PinnedKeys.Keys, Is.EqualTo(new[] { SandboxKid }));
        Assert.That(sandbox.PinnedKeys[SandboxKid].Crv, Is.EqualTo("P-384"));
        Assert.That(sandbox.AllowsJku(new Uri("https://sandbox.cds-hooks.org/.well-known/jwks.json")), Is.True);
        Assert.That(sandbox.AllowsJku(new Uri("https://sandbox.cds-hooks.org.evil.example/.well-known/jwks.json")), Is.False);
    }

    [Test]
    public void The_sandbox_preset_gets_replace_suggestions_as_one_update_while_other_callers_get_the_cards_setting()
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Required",
            ["Auth:PublicBaseUrl"] = "http://127.0.0.1:8191",
            ["Auth:TrustCdsHooksSandbox"] = "true",
        });
        var selector = factory.Services.GetRequiredService<ReplaceActionSelector>();
        var sandboxCall = new DefaultHttpContext();
        sandboxCall.Features.Set(new CdsClientIdentity(TrustedClientRegistry.SandboxIssuer, SandboxKid, null, "jti-1"));

        Assert.That(TrustedClientRegistry.Sandbox().ReplaceAction, Is.EqualTo(ReplaceAction.Update));
        Assert.That(selector.For(sandboxCall), Is.EqualTo(ReplaceAction.Update));
        Assert.That(selector.For(new DefaultHttpContext()), Is.EqualTo(ReplaceAction.DeleteAndCreate));
    }
}
