using System.Text.RegularExpressions;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Docs;

/// <summary>
/// README "Calling a secured instance by hand" is run as written, in bash from the repository root: keygen, the
/// documented environment (Auth:Mode=Required), the real service process, a token from `bmes-cds token` (200), no
/// token (401), and `bmes-cds call` with C1. Changed for the test, and only this: port 8080 becomes a free port, HOME a
/// temporary folder, and `dotnet run` uses the binaries the tests were built with (`--no-build -c Release`).
/// </summary>
public sealed partial class ReadmeSecuredExampleTests
{
    private static string Block()
    {
        var readme = File.ReadAllText(Repository.Combine("README.md"));
        var section = readme.IndexOf("### Calling a secured instance by hand", StringComparison.Ordinal);
        Assert.That(section, Is.GreaterThanOrEqualTo(0), "README has no 'Calling a secured instance by hand' section");
        var match = ShellBlock().Match(readme, section);
        Assert.That(match.Success, Is.True, "no ```sh block in that section");
        return match.Groups[1].Value;
    }

    [Test]
    public void The_documented_block_requires_auth_and_uses_the_cli_for_tokens_and_calls()
    {
        var block = Block();

        Assert.That(block, Does.Contain("export Auth__Mode=Required"));
        Assert.That(block, Does.Contain("dotnet run --project src/BmesCds.Cli -- token"));
        Assert.That(block, Does.Contain("dotnet run --project src/BmesCds.Cli -- call"));
        Assert.That(block, Does.Contain("dotnet run --project src/BmesCds.Service"));
    }

    [Test]
    public async Task The_secured_example_answers_200_with_a_token_and_401_without()
    {
        var home = Directory.CreateTempSubdirectory("bmes-readme-home-").FullName;
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var script = Block()
            .Replace("8080", port, StringComparison.Ordinal)
            .Replace("dotnet run --project", $"dotnet run --no-build -c {ExternalProcess.BuildConfiguration} --project", StringComparison.Ordinal);
        try
        {
            using var bash = ExternalProcess.Start("bash", ["-eu", "-c", script], Repository.Root, new Dictionary<string, string?> { ["HOME"] = home });

            var code = await bash.WaitForExitAsync(TimeSpan.FromMinutes(3));

            Assert.That(code, Is.EqualTo(0), $"stdout:\n{bash.Stdout}\nstderr:\n{bash.Stderr}");
            var statuses = bash.Stdout.Split('\n').Where(line => line is "200" or "401").ToList();
            Assert.That(statuses, Is.EqualTo(new[] { "200", "401" }), bash.Stdout);
            Assert.That(bash.Stdout, Does.Contain("\"replace-with-mri\""), "bmes-cds call printed C1's card");
            Assert.That(bash.Stderr, Does.Contain("HTTP 200"));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
