using System.Net;
using System.Net.Sockets;
using BmesCds.Cli.Verbs;
using static BmesCds.Cli.Tests.CliRun;

namespace BmesCds.Cli.Tests;

/// <summary>`bmes-cds call` usage and failures; calls to a real secured instance are in the service's SecuredCallTests.</summary>
[TestFixture]
public sealed class CallVerbTests
{
    private string _folder = null!;

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("bmes-cli-call-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private string Key()
    {
        Assert.That(Run("keygen", "--out", _folder).Code, Is.EqualTo(ExitCodes.Ok));
        return Path.Combine(_folder, KeygenVerb.PrivateKeyFile);
    }

    [TestCase(new[] { "call", "--key", "k.pem", "--iss", "i" }, "URL is required")]
    [TestCase(new[] { "call", "ftp://cds.example.org/cds-services", "--key", "k.pem", "--iss", "i" }, "URL must be the absolute http(s) URL")]
    [TestCase(new[] { "call", "http://127.0.0.1:1/cds-services", "--iss", "i" }, "--key is required")]
    [TestCase(new[] { "call", "http://127.0.0.1:1/cds-services", "--key", "k.pem", "--iss", "i", "--aud", "x" }, "unknown option --aud")]
    [TestCase(new[] { "call", "http://127.0.0.1:1/cds-services", "--key", "k.pem", "--iss", "i", "--timeout", "0" }, "--timeout must be")]
    public void Usage_mistakes_exit_2_naming_the_argument(string[] args, string message)
    {
        var (code, _, err) = Run(args);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(err, Does.Contain(message));
    }

    [Test]
    public void A_missing_data_file_exits_1_before_anything_is_sent()
    {
        var (code, _, err) = Run("call", "http://127.0.0.1:1/cds-services/x", "--data", Path.Combine(_folder, "none.json"), "--key", Key(), "--iss", "i");

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(err, Does.Contain("does not exist"));
    }

    [Test]
    public void No_answer_exits_1_naming_the_url()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, _, err) = Run("call", $"http://127.0.0.1:{port}/cds-services", "--key", Key(), "--iss", "i");

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(err, Does.Contain($"no answer from http://127.0.0.1:{port}/cds-services"));
    }

    [Test]
    public void The_overview_lists_call()
    {
        Assert.That(Run("--help").Out, Does.Contain("call"));
    }
}
