using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BmesCds.Service.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;

namespace BmesCds.Service.Tests.Auth;

/// <summary>A key pair generated in the test, able to sign JWS and publish its public JWK.</summary>
internal sealed class TestSigningKey : IDisposable
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    private TestSigningKey(string alg, string kid, ECDsa? ec, RSA? rsa)
    {
        Alg = alg;
        Kid = kid;
        _ec = ec;
        _rsa = rsa;
    }

    public string Alg { get; }

    public string Kid { get; }

    public static TestSigningKey Ec(string alg = "ES384", string? kid = null)
    {
        var curve = alg switch
        {
            "ES256" => ECCurve.NamedCurves.nistP256,
            "ES384" => ECCurve.NamedCurves.nistP384,
            "ES512" => ECCurve.NamedCurves.nistP521,
            _ => throw new ArgumentException(alg),
        };
        return new TestSigningKey(alg, kid ?? "ec-" + Guid.NewGuid().ToString("N")[..8], ECDsa.Create(curve), null);
    }

    public static TestSigningKey Rsa(string alg = "RS384", string? kid = null, int bits = 2048) =>
        new(alg, kid ?? "rsa-" + Guid.NewGuid().ToString("N")[..8], null, RSA.Create(bits));

    /// <summary>The same key material published under another kid or algorithm.</summary>
    public TestSigningKey As(string alg, string kid) => new(alg, kid, _ec, _rsa);

    public JsonObject PublicJwk(bool withAlg = true)
    {
        var jwk = new JsonObject();
        if (_ec is not null)
        {
            var p = _ec.ExportParameters(false);
            jwk["kty"] = "EC";
            jwk["crv"] = p.Curve.Oid.FriendlyName switch { "nistP256" or "ECDSA_P256" => "P-256", "nistP384" or "ECDSA_P384" => "P-384", _ => "P-521" };
            jwk["x"] = Base64Url.EncodeToString(p.Q.X);
            jwk["y"] = Base64Url.EncodeToString(p.Q.Y);
        }
        else
        {
            var p = _rsa!.ExportParameters(false);
            jwk["kty"] = "RSA";
            jwk["n"] = Base64Url.EncodeToString(p.Modulus);
            jwk["e"] = Base64Url.EncodeToString(p.Exponent);
        }

        jwk["kid"] = Kid;
        jwk["use"] = "sig";
        if (withAlg)
        {
            jwk["alg"] = Alg;
        }

        return jwk;
    }

    public string PublicKeyPem() => _ec is not null ? _ec.ExportSubjectPublicKeyInfoPem() : _rsa!.ExportSubjectPublicKeyInfoPem();

    public byte[] Sign(byte[] data)
    {
        var hash = Alg[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };
        if (_ec is not null)
        {
            return _ec.SignData(data, hash); // IEEE P1363 (r || s), as JWS wants
        }

        var padding = Alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return _rsa!.SignData(data, hash, padding);
    }

    public static string Jwks(params TestSigningKey[] keys) =>
        new JsonObject { ["keys"] = new JsonArray(keys.Select(k => (JsonNode)k.PublicJwk()).ToArray()) }.ToJsonString();

    public void Dispose()
    {
        // Keys made with As() share material with their origin; disposing twice is harmless.
        _ec?.Dispose();
        _rsa?.Dispose();
    }
}

/// <summary>Builds a JWT by hand so that tests can also build the tokens no library would sign (alg none, HS256 with a public key).</summary>
internal sealed class TokenBuilder
{
    public JsonObject Header { get; } = new();

    public JsonObject Payload { get; } = new();

    public static TokenBuilder For(TestSigningKey key, string issuer, string audience, DateTimeOffset now, int lifetimeSeconds = 300)
    {
        var builder = new TokenBuilder();
        builder.Header["alg"] = key.Alg;
        builder.Header["typ"] = "JWT";
        builder.Header["kid"] = key.Kid;
        builder.Payload["iss"] = issuer;
        builder.Payload["aud"] = audience;
        builder.Payload["exp"] = now.ToUnixTimeSeconds() + lifetimeSeconds;
        builder.Payload["iat"] = now.ToUnixTimeSeconds();
        builder.Payload["jti"] = Guid.NewGuid().ToString();
        return builder;
    }

    public TokenBuilder WithHeader(string name, JsonNode? value)
    {
        if (value is null)
        {
            Header.Remove(name);
        }
        else
        {
            Header[name] = value;
        }

        return this;
    }

    public TokenBuilder With(string claim, JsonNode? value)
    {
        if (value is null)
        {
            Payload.Remove(claim);
        }
        else
        {
            Payload[claim] = value;
        }

        return this;
    }

    public string SigningInput =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Header.ToJsonString())) + "." +
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Payload.ToJsonString()));

    public string SignWith(TestSigningKey key) =>
        SigningInput + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(SigningInput)));

    public string SignWith(Func<byte[], byte[]> sign) =>
        SigningInput + "." + Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(SigningInput)));

    public string Unsigned() => SigningInput + ".";
}

internal sealed class FakeTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>Serves JWK Sets from a real Kestrel endpoint on 127.0.0.1 and counts what it was asked.</summary>
internal sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

    private JwksServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    public Uri UrlOf(string path) => new(BaseUri, path);

    public void Serve(string path, string json) => _documents[path] = json;

    public int Hits(string path) => _hits.GetValueOrDefault(path);

    public int TotalHits => _hits.Values.Sum();

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);

    /// <summary>Requests for <paramref name="path"/> wait (a slow JWKS endpoint) until <see cref="Release"/>.</summary>
    public void Hold(string path) => _held[path] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string path)
    {
        if (_held.TryRemove(path, out var gate))
        {
            gate.TrySetResult();
        }
    }

    public static async Task<JwksServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new JwksServer(app);
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            server._hits.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (server._held.TryGetValue(path, out var gate))
            {
                await gate.Task.WaitAsync(context.RequestAborted);
            }
            if (path.StartsWith("/redirect", StringComparison.Ordinal))
            {
                context.Response.Redirect(server.UrlOf("/ehr/jwks.json").AbsoluteUri);
                return;
            }

            if (!server._documents.TryGetValue(path, out var json))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var path in _held.Keys)
        {
            Release(path);
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Sends JWKS requests to loopback only: a test that would reach out to the internet fails instead.</summary>
internal sealed class LoopbackOnlyHandler() : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
{
    private int _requests;

    public int Requests => _requests;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        if (request.RequestUri is null || !request.RequestUri.IsLoopback)
        {
            throw new InvalidOperationException($"Test tried to fetch {request.RequestUri}: only loopback is allowed.");
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Builds the auth services exactly as the host does, with a fake clock and loopback-only JWKS fetching.</summary>
internal static class AuthServices
{
    public static ServiceProvider Build(
        IDictionary<string, string?> config,
        TimeProvider time,
        LoopbackOnlyHandler? handler = null,
        string environment = "Production",
        ILoggerProvider? logs = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config).Build();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        services.AddSingleton(time);
        services.AddCdsClientAuthentication(configuration, new HostingEnvironment
        {
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var fetcher = handler ?? new LoopbackOnlyHandler();
        services.AddHttpClient(JwksKeyResolver.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => fetcher);
        return services.BuildServiceProvider();
    }
}
