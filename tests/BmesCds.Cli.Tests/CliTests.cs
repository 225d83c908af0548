using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BmesCds.Cli.Verbs;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static BmesCds.Cli.Tests.CliRun;

namespace BmesCds.Cli.Tests;

[TestFixture]
public sealed class CliTests
{
    private string _folder = null!;

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("bmes-cli-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private string Keygen(string alg = "ES384")
    {
        var (code, _, err) = Run("keygen", "--alg", alg, "--out", _folder);
        Assert.That(code, Is.EqualTo(0), err);
        return Path.Combine(_folder, KeygenVerb.PrivateKeyFile);
    }

    private JsonWebKey PublishedKey() =>
        new JsonWebKeySet(File.ReadAllText(Path.Combine(_folder, KeygenVerb.JwksFile))).Keys.Single();

    private static async Task<TokenValidationResult> Verify(string token, JsonWebKey key, string issuer, string audience) =>
        await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidIssuer = issuer,
            ValidAudience = audience,
            ValidAlgorithms = [key.Alg],
        });

    [TestCase("ES256")]
    [TestCase("ES384")]
    [TestCase("ES512")]
    [TestCase("RS384")]
    [TestCase("PS256")]
    public async Task Token_signed_with_a_generated_key_verifies_against_the_generated_jwks(string alg)
    {
        var key = Keygen(alg);

        var (code, token, err) = Run("token", "--key", key, "--alg", alg, "--iss", "https://ehr.example.com", "--aud", "https://cds.example.org/cds-services/x");

        Assert.That(code, Is.EqualTo(0), err);
        var published = PublishedKey();
        var result = await Verify(token.Trim(), published, "https://ehr.example.com", "https://cds.example.org/cds-services/x");
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        var jwt = new JsonWebToken(token.Trim());
        Assert.That(jwt.Alg, Is.EqualTo(alg));
        Assert.That(jwt.Kid, Is.EqualTo(published.Kid), "token kid defaults to the thumbprint keygen published");
        Assert.That(jwt.Typ, Is.EqualTo("JWT"));
    }

    [Test]
    public void Token_carries_the_claims_cds_hooks_requires_and_a_five_minute_default_lifetime()
    {
        var key = Keygen();

        var (_, token, _) = Run("token", "--key", key, "--iss", "https://ehr.example.com", "--aud", "https://cds.example.org/cds-services",
            "--tenant", "hospital-a", "--jku", "https://ehr.example.com/jwks.json");

        var jwt = new JsonWebToken(token.Trim());
        Assert.That(jwt.GetPayloadValue<long>("exp") - jwt.GetPayloadValue<long>("iat"), Is.EqualTo(300));
        Assert.That(jwt.Id, Is.Not.Empty);
        Assert.That(jwt.GetPayloadValue<string>("tenant"), Is.EqualTo("hospital-a"));
        Assert.That(jwt.GetHeaderValue<string>("jku"), Is.EqualTo("https://ehr.example.com/jwks.json"));
        Assert.That(jwt.TryGetPayloadValue<long>("nbf", out _), Is.False);
        Assert.That(new JsonWebToken(Run("token", "--key", key, "--iss", "i", "--aud", "https://a.example").Out.Trim()).Id, Is.Not.EqualTo(jwt.Id));
    }

    [Test]
    public void Rsa_key_without_alg_signs_rs384_as_cds_hooks_recommends()
    {
        var key = Keygen("RS384");

        var (_, token, _) = Run("token", "--key", key, "--iss", "i", "--aud", "https://a.example/cds-services");

        Assert.That(new JsonWebToken(token.Trim()).Alg, Is.EqualTo("RS384"));
    }

    [Test]
    public void Lifetime_option_sets_exp()
    {
        var key = Keygen();

        var (_, token, _) = Run("token", "--key", key, "--iss", "i", "--aud", "https://a.example/cds-services", "--lifetime", "60");

        var jwt = new JsonWebToken(token.Trim());
        Assert.That(jwt.GetPayloadValue<long>("exp") - jwt.GetPayloadValue<long>("iat"), Is.EqualTo(60));
    }

    [Test]
    public async Task Token_from_a_private_jwk_file_uses_its_kid()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var p = ec.ExportParameters(true);
        var jwk = new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-384",
            ["kid"] = "ehr-key-1",
            ["x"] = Base64UrlEncoder.Encode(p.Q.X),
            ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
            ["d"] = Base64UrlEncoder.Encode(p.D),
        };
        var file = Path.Combine(_folder, "key.jwk.json");
        await File.WriteAllTextAsync(file, jwk.ToJsonString());

        var (code, token, err) = Run("token", "--key", file, "--iss", "https://ehr.example.com", "--aud", "https://cds.example.org/cds-services");

        Assert.That(code, Is.EqualTo(0), err);
        jwk.Remove("d");
        var result = await Verify(token.Trim(), new JsonWebKey(jwk.ToJsonString()) { Alg = "ES384" }, "https://ehr.example.com", "https://cds.example.org/cds-services");
        Assert.That(result.IsValid, Is.True);
        Assert.That(new JsonWebToken(token.Trim()).Kid, Is.EqualTo("ehr-key-1"));
    }

    [Test]
    public void Keygen_writes_an_owner_only_private_key_and_a_public_only_jwks()
    {
        var key = Keygen();

        var jwks = File.ReadAllText(Path.Combine(_folder, KeygenVerb.JwksFile));
        Assert.That(File.ReadAllText(key), Does.StartWith("-----BEGIN PRIVATE KEY-----"));
        Assert.That(JsonNode.Parse(jwks)!["keys"]![0]!["d"], Is.Null);
        Assert.That(PublishedKey().Crv, Is.EqualTo("P-384"));
        Assert.That(PublishedKey().Use, Is.EqualTo("sig"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(key), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public void Keygen_does_not_overwrite_an_existing_key_without_force()
    {
        Keygen();
        var before = File.ReadAllText(Path.Combine(_folder, KeygenVerb.PrivateKeyFile));

        var (code, _, err) = Run("keygen", "--out", _folder);

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(err, Does.Contain("--force"));
        Assert.That(File.ReadAllText(Path.Combine(_folder, KeygenVerb.PrivateKeyFile)), Is.EqualTo(before));
        Assert.That(Run("keygen", "--out", _folder, "--force").Code, Is.EqualTo(0));
    }

    [Test]
    public void No_command_prints_usage_and_exits_2()
    {
        var (code, _, err) = Run();

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(err, Does.Contain("token").And.Contain("keygen"));
    }

    [Test]
    public void Help_exits_0() => Assert.That(Run("token", "--help").Code, Is.EqualTo(0));

    [Test]
    public void Unknown_command_exits_2() => Assert.That(Run("frobnicate").Code, Is.EqualTo(ExitCodes.Usage));

    [TestCase("--iss", "i", "--aud", "https://a.example", Description = "no --key")]
    [TestCase("--key", "KEY", "--aud", "https://a.example", Description = "no --iss")]
    [TestCase("--key", "KEY", "--iss", "i", Description = "no --aud")]
    [TestCase("--key", "KEY", "--iss", "i", "--aud", "not a url")]
    [TestCase("--key", "KEY", "--iss", "i", "--aud", "https://a.example", "--alg", "HS256")]
    [TestCase("--key", "KEY", "--iss", "i", "--aud", "https://a.example", "--alg", "none")]
    [TestCase("--key", "KEY", "--iss", "i", "--aud", "https://a.example", "--alg", "RS384")]
    [TestCase("--key", "KEY", "--iss", "i", "--aud", "https://a.example", "--alg", "ES256")]
    [TestCase("--key", "KEY", "--iss", "i", "--aud", "https://a.example", "--lifetime", "abc")]
    [TestCase("--key", "KEY", "--iss", "i", "--aud", "https://a.example", "--lifetime", "0")]
    [TestCase("--key", "KEY", "--iss", "i", "--aud", "https://a.example", "--lifetime", "86400")]
    [TestCase("--key", "KEY", "--iss", "i", "--aud", "https://a.example", "--audience", "x")]
    [TestCase("--key", "KEY", "--iss", "i", "--iss", "j", "--aud", "https://a.example")]
    [TestCase("--key", "KEY", "--iss", "--aud", "https://a.example")]
    [TestCase("KEY", "--iss", "i", "--aud", "https://a.example")]
    public void Token_usage_error_exits_2_and_says_what_is_wrong(params string[] args)
    {
        var key = Keygen();

        var (code, output, err) = Run(["token", .. args.Select(a => a == "KEY" ? key : a)]);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage), err);
        Assert.That(output, Is.Empty, "no token on stdout");
        Assert.That(err, Does.StartWith("bmes-cds token: ").And.Contain("usage: bmes-cds token"));
    }

    [TestCase("--alg", "HS256")]
    [TestCase("--alg")]
    [TestCase("--force", "yes")]
    [TestCase("--bits", "4096")]
    public void Keygen_usage_error_exits_2(params string[] args) =>
        Assert.That(Run(["keygen", "--out", "OUT", .. args]).Code, Is.EqualTo(ExitCodes.Usage));

    [Test]
    public void Missing_key_file_exits_1()
    {
        var (code, _, err) = Run("token", "--key", Path.Combine(_folder, "nope.pem"), "--iss", "i", "--aud", "https://a.example");

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(err, Does.Contain("does not exist"));
    }

    [Test]
    public void Public_key_given_as_the_signing_key_exits_1()
    {
        Keygen();

        var (code, _, err) = Run("token", "--key", Path.Combine(_folder, KeygenVerb.JwksFile), "--iss", "i", "--aud", "https://a.example");

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(err, Does.Contain("private"));
    }

    [Test]
    public async Task Garbage_key_file_exits_1()
    {
        var file = Path.Combine(_folder, "garbage.pem");
        await File.WriteAllTextAsync(file, "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n");

        var (code, _, err) = Run("token", "--key", file, "--iss", "i", "--aud", "https://a.example");

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(err, Does.Contain("not a readable"));
    }
}
