using System.Globalization;
using BmesCds.Cli;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace BmesCds.Service.Tests.Auth;

/// <summary>
/// `bmes-cds call` and `scripts/samples.py replay --key --iss` against the real service process in Production with
/// Auth:Mode Required (a client registered by its keygen'd JWKS file): every request carries its own fresh token, so
/// calls that a single token could make only once all pass, and the replayed answers equal the golden files.
/// </summary>
public sealed class SecuredCallTests
{
    private const string Issuer = "https://dev.example.local";

    private string _keys = null!;
    private ServiceProcess _service = null!;
    private string _base = null!;

    private string PrivateKey => Path.Combine(_keys, "private-key.pem");

    [OneTimeSetUp]
    public async Task Start()
    {
        _keys = Directory.CreateTempSubdirectory("bmes-secured-").FullName;
        Assert.That(Cli(out _, out _, "keygen", "--out", _keys), Is.EqualTo(0));
        _base = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}";
        var settings = new Dictionary<string, string?>
        {
            ["Auth__PublicBaseUrl"] = _base,
            ["Auth__TrustedClients__0__Issuer"] = Issuer,
            ["Auth__TrustedClients__0__JwksFile"] = Path.Combine(_keys, "jwks.json"),
            ["Clock__FixedUtcNow"] = "2026-11-28T12:00:00Z",
        };
        _service = ServiceProcess.Start(Environments.Production, settings, "--urls", _base);
        await _service.WaitUntilReadyAsync(TimeSpan.FromMinutes(2));
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _service?.Dispose();
        Directory.Delete(_keys, recursive: true);
    }

    private static int Cli(out string stdout, out string stderr, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = CliApp.Run(args, output, errors);
        stdout = output.ToString();
        stderr = errors.ToString();
        return code;
    }

    [Test]
    public void Each_call_mints_its_own_token_so_the_same_call_works_twice()
    {
        var url = $"{_base}/cds-services/bmes-order-select";
        var c1 = SampleFiles.FullPath("cases/C1-ct-after-normal-left-hip-xray.request.json");

        var first = Cli(out var cards, out var status, "call", url, "--data", c1, "--key", PrivateKey, "--iss", Issuer);
        var second = Cli(out _, out var again, "call", url, "--data", c1, "--key", PrivateKey, "--iss", Issuer);

        Assert.That((first, status.Trim()), Is.EqualTo((0, "HTTP 200")));
        Assert.That((second, again.Trim()), Is.EqualTo((0, "HTTP 200")));
        Assert.That(cards, Does.Contain("\"replace-with-mri\""));
    }

    [Test]
    public void A_call_without_data_is_a_get_of_discovery()
    {
        var code = Cli(out var discovery, out var status, "call", $"{_base}/cds-services", "--key", PrivateKey, "--iss", Issuer);

        Assert.That((code, status.Trim()), Is.EqualTo((0, "HTTP 200")));
        Assert.That(discovery, Does.Contain("bmes-order-select"));
    }

    [Test]
    public void A_call_as_an_unregistered_issuer_is_refused_with_exit_1()
    {
        var code = Cli(out _, out var status, "call", $"{_base}/cds-services", "--key", PrivateKey, "--iss", "https://stranger.example");

        Assert.That((code, status.Trim()), Is.EqualTo((1, "HTTP 401")));
    }

    [Test]
    public async Task Replay_with_key_and_issuer_gives_every_golden_answer()
    {
        var samples = SampleFiles.Requests().Count();
        using var replay = ExternalProcess.Start("python3",
            [Repository.Combine("scripts", "samples.py"), "replay", _base, "--key", PrivateKey, "--iss", Issuer,
             "--bmes-cds", $"dotnet {ExternalProcess.CliDll}"],
            Repository.Root);

        var code = await replay.WaitForExitAsync(TimeSpan.FromMinutes(4));

        Assert.That(code, Is.EqualTo(0), replay.Stdout + replay.Stderr);
        Assert.That(replay.Stdout, Does.Contain($"{samples} same, 0 different"));
    }
}
