using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BmesCds.Cli.Tests;

/// <summary>
/// `bmes-cds` installs as a .NET tool, as README "Command-line tool" says: `dotnet pack`, then
/// `dotnet tool install --add-source DIR bmes-cds` (into a temporary tool path instead of --global), and the installed
/// tool answers C1 with the fhir-profiles it carries, run from a folder with no fhir-profiles above it. The pack uses
/// the binaries the tests were built with (--no-build).
/// </summary>
public sealed partial class ToolPackageTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    private string _folder = null!;

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("bmes-tool-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private static async Task<(int Code, string Out, string Err)> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not end within {Deadline}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    [Test]
    public async Task The_packed_tool_installs_and_evaluates_with_the_profiles_it_carries()
    {
        var packages = Path.Combine(_folder, "nupkg");
        var tools = Path.Combine(_folder, "tools");
        var work = Directory.CreateDirectory(Path.Combine(_folder, "work")).FullName;
        var request = Path.Combine(work, "c1.request.json");
        File.Copy(Repository.Combine("samples", "cases", "C1-ct-after-normal-left-hip-xray.request.json"), request);

        var pack = await RunAsync("dotnet", ["pack", Repository.Combine("src", "BmesCds.Cli"), "-c", Configuration, "--no-build", "-o", packages], Repository.Root);
        Assert.That(pack.Code, Is.EqualTo(0), pack.Out + pack.Err);
        var install = await RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", packages, "bmes-cds"], work);
        Assert.That(install.Code, Is.EqualTo(0), install.Out + install.Err);
        var evaluate = await RunAsync(Path.Combine(tools, "bmes-cds"), ["evaluate", request, "--now", "2026-11-28T12:00:00Z"], work);
        var help = await RunAsync(Path.Combine(tools, "bmes-cds"), ["--help"], work);

        Assert.That(evaluate.Code, Is.EqualTo(0), evaluate.Err);
        var expected = File.ReadAllText(Repository.Combine("samples", "cases", "C1-ct-after-normal-left-hip-xray.response.json"));
        Assert.That(JsonNode.DeepEquals(Normalised(evaluate.Out), Normalised(expected)), Is.True, evaluate.Out);
        Assert.That(help.Out, Does.Contain("call").And.Contain("evaluate").And.Contain("token"));
    }

    /// <summary>uuids numbered in document order, as the golden files hold them.</summary>
    private static JsonNode Normalised(string json)
    {
        var seen = new Dictionary<string, string>();
        return JsonNode.Parse(Uuid().Replace(json, match =>
            seen.TryGetValue(match.Value, out var name) ? name : seen[match.Value] = $"uuid-{seen.Count + 1}"))!;
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();
}
