using System.Text.RegularExpressions;
using BmesCds.Clinical.Rules;

namespace BmesCds.Service.Tests.Docs;

/// <summary>The README's commands and file references, and the rule pages, stay true to the repository.</summary>
public sealed partial class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Repository.Combine("README.md"));

    [Test]
    public void The_run_command_names_the_service_project()
    {
        Assert.That(Readme, Does.Contain("dotnet run --project src/BmesCds.Service\n"));
        Assert.That(File.Exists(Repository.Combine("src", "BmesCds.Service", "BmesCds.Service.csproj")), Is.True);
        Assert.That(File.ReadAllText(Repository.Combine("src", "BmesCds.Service", "appsettings.json")), Does.Contain("http://127.0.0.1:5080"));
    }

    [Test]
    public void The_test_command_is_the_script_that_CI_runs()
    {
        Assert.That(Readme, Does.Contain("scripts/test.sh\n"));
        Assert.That(File.ReadAllText(Repository.Combine(".ci", "run")), Does.Contain("scripts/test.sh"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(Repository.Combine("scripts", "test.sh")).HasFlag(UnixFileMode.UserExecute), Is.True);
        }
    }

    [Test]
    public void Every_relative_link_in_the_readme_points_at_a_file_that_exists()
    {
        var missing = MarkdownLink().Matches(Readme)
            .Select(match => match.Groups[1].Value)
            .Where(target => !target.StartsWith("http", StringComparison.Ordinal) && !target.StartsWith('#'))
            .Where(target => !File.Exists(Repository.Combine(target)) && !Directory.Exists(Repository.Combine(target)))
            .ToList();

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Every_repository_path_the_readme_quotes_exists()
    {
        var missing = QuotedPath().Matches(Readme)
            .Select(match => match.Groups[1].Value.TrimEnd('/', '.', ','))
            .Where(path => !path.Contains('*', StringComparison.Ordinal) && !path.Contains('<', StringComparison.Ordinal) && !path.Contains('{', StringComparison.Ordinal))
            .Distinct()
            .Where(path => !File.Exists(Repository.Combine(path)) && !Directory.Exists(Repository.Combine(path)))
            .ToList();

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Every_rule_of_the_catalogue_has_a_documentation_page_naming_its_priority()
    {
        foreach (var rule in RuleCatalogue.All)
        {
            var page = Repository.Combine("docs", "rules", $"{rule.Id}.md");
            Assert.That(File.Exists(page), Is.True, page);
            Assert.That(File.ReadLines(page).First(), Does.StartWith($"# Rule `{rule.Id}` (priority {rule.Priority},"));
        }
    }

    [Test]
    public void The_tool_install_commands_are_the_ones_the_package_test_runs()
    {
        // tests/BmesCds.Cli.Tests/ToolPackageTests runs the same two commands (built binaries, a temporary tool path).
        Assert.That(Readme, Does.Contain("dotnet pack src/BmesCds.Cli -c Release -o nupkg\n"));
        Assert.That(Readme, Does.Contain("dotnet tool install --global --add-source nupkg bmes-cds"));
        Assert.That(File.ReadAllText(Repository.Combine("src", "BmesCds.Cli", "BmesCds.Cli.csproj")), Does.Contain("<PackAsTool>true</PackAsTool>"));
    }

    [Test]
    public void The_samples_replay_command_for_a_secured_instance_uses_key_and_issuer()
    {
        // Run by Auth/SecuredCallTests against the built service.
        Assert.That(Readme, Does.Contain("scripts/samples.py replay http://127.0.0.1:8080 --key ~/.bmes-cds/dev-key/private-key.pem --iss https://dev.example.local"));
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"`((?:src|tests|samples|scripts|docs|fhir-profiles|deploy)/[^`\s]*)`")]
    private static partial Regex QuotedPath();
}
