using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Sandbox;

/// <summary>
/// `scripts/demo.sh`, the one command of README "Try it in the CDS Hooks sandbox", run for real on free ports: the FHIR
/// test server answers a browser (CORS) with the named sample patients, the service runs with the sandbox preset
/// (Auth:Mode Required), one sandbox URL is printed per showcase patient, and Ctrl-C stops everything.
/// </summary>
public sealed partial class DemoScriptTests
{
    private const string Sandbox = "https://sandbox.cds-hooks.org";

    [Test]
    public async Task The_demo_serves_the_named_patients_and_the_secured_service_prints_the_showcase_urls_and_stops_on_ctrl_c()
    {
        var fhirPort = FreePort.Next();
        var servicePort = FreePort.Next();
        var logs = Directory.CreateTempSubdirectory("bmes-demo-").FullName;
        var fhirBase = $"http://127.0.0.1:{fhirPort}/fhir";
        var serviceBase = $"http://127.0.0.1:{servicePort}";

        // As from a terminal: SIGINT at its default disposition (a test runner started in the background may pass it on
        // ignored, and bash cannot trap a signal ignored on entry).
        using var demo = ExternalProcess.Start(
            "python3",
            ["-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])", "scripts/demo.sh", "--no-build"],
            Repository.Root,
            new Dictionary<string, string?>
            {
                ["FHIR_PORT"] = fhirPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SERVICE_PORT"] = servicePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["CONFIGURATION"] = ExternalProcess.BuildConfiguration,
                ["DEMO_LOG_DIR"] = logs,
            });
        try
        {
            await demo.WaitForOutputAsync(new Regex("Press Ctrl-C"), TimeSpan.FromMinutes(4));
            using var http = new HttpClient();

            // The FHIR server: every sample patient, named after its case, readable from any origin.
            using var read = new HttpRequestMessage(HttpMethod.Get, $"{fhirBase}/Patient/c1");
            read.Headers.Add("Origin", Sandbox);
            using var patient = await http.SendAsync(read);
            Assert.That(patient.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(patient.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "*" }));
            Assert.That((string?)JsonNode.Parse(await patient.Content.ReadAsStringAsync())!["name"]![0]!["text"], Is.EqualTo("C1 CT after normal left hip X-ray"));
            Assert.That(demo.Stdout, Does.Contain($"patients loaded: {SampleFiles.Requests().Count()}"));

            // The service: the sandbox preset means authentication is required; preflights pass.
            using var discovery = await http.GetAsync($"{serviceBase}/cds-services");
            Assert.That(discovery.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            using var preflight = new HttpRequestMessage(HttpMethod.Options, $"{serviceBase}/cds-services/bmes-order-select");
            preflight.Headers.Add("Origin", Sandbox);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            using var allowed = await http.SendAsync(preflight);
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

            // One sandbox URL per showcase patient, pointing at these two servers.
            var urls = SandboxUrl().Matches(demo.Stdout).Select(m => new Uri(m.Value)).ToList();
            var showcase = Showcase();
            Assert.That(urls, Has.Count.EqualTo(showcase.Count), demo.Stdout);
            foreach (var entry in showcase)
            {
                var expected = $"serviceDiscoveryURL={serviceBase}/cds-services&fhirServiceUrl={fhirBase}&patientId={entry["patient"]}&screen={entry["screen"]}&hook={entry["hook"]}";
                Assert.That(urls.Select(u => Uri.UnescapeDataString(u.Query.TrimStart('?'))), Does.Contain(expected));
            }

            demo.Signal("INT");
            var code = await demo.WaitForExitAsync(TimeSpan.FromMinutes(1));

            Assert.That(code, Is.EqualTo(130), demo.Stdout + demo.Stderr);
            Assert.That(demo.Stderr, Does.Contain("demo stopped"));
            Assert.That(await AnswersAsync(http, $"{fhirBase}/metadata"), Is.False, "the FHIR server stopped");
            Assert.That(await AnswersAsync(http, $"{serviceBase}/health/live"), Is.False, "the service stopped");
        }
        finally
        {
            Directory.Delete(logs, recursive: true);
        }
    }

    [Test]
    public void The_script_is_executable_and_the_readme_walk_through_uses_it()
    {
        var readme = File.ReadAllText(Repository.Combine("README.md"));
        var section = readme[readme.IndexOf("## Try it in the CDS Hooks sandbox", StringComparison.Ordinal)..];

        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(Repository.Combine("scripts", "demo.sh")).HasFlag(UnixFileMode.UserExecute), Is.True);
        }

        Assert.That(section[..section.IndexOf("\n## ", 5, StringComparison.Ordinal)], Does.Contain("scripts/demo.sh"));
    }

    internal static List<JsonNode> Showcase() =>
        [.. Json.Load(Repository.Combine("scripts", "sandbox-showcase.json"))["patients"]!.AsArray().Select(entry => entry!)];

    private static async Task<bool> AnswersAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"https://sandbox\.cds-hooks\.org/\?\S+")]
    private static partial Regex SandboxUrl();
}
