using System.Text.Json;

namespace BmesCds.Cli.Tests;

/// <summary>
/// `TOKEN=$(dotnet run --project src/BmesCds.Cli -- token ...)` must capture only the token: restore warnings such as
/// NU1603 (a wanted package version the feed lacks) are printed by every `dotnet run`. The restore of every project
/// records its warnings in obj/project.assets.json; there must be none.
/// </summary>
public sealed class BuildHygieneTests
{
    public static IEnumerable<string> AssetsFiles() =>
        new[] { "src", "tests" }
            .SelectMany(folder => Directory.GetDirectories(Repository.Combine(folder)))
            .Select(project => Path.Combine(project, "obj", "project.assets.json"))
            .Where(File.Exists)
            .Select(path => Path.GetRelativePath(Repository.Root, path));

    [Test]
    public void The_cli_project_has_been_restored() =>
        Assert.That(AssetsFiles(), Does.Contain(Path.Combine("src", "BmesCds.Cli", "obj", "project.assets.json")));

    [TestCaseSource(nameof(AssetsFiles))]
    public void Restore_logged_no_warning(string assetsFile)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Repository.Combine(assetsFile)));

        var logs = assets.RootElement.TryGetProperty("logs", out var entries)
            ? entries.EnumerateArray().Select(e => $"{e.GetProperty("code").GetString()}: {e.GetProperty("message").GetString()}").ToList()
            : [];
        Assert.That(logs, Is.Empty);
    }

    [Test]
    public void NU1603_is_not_tolerated_any_more() =>
        Assert.That(File.ReadAllText(Repository.Combine("Directory.Build.props")), Does.Not.Contain("NU1603"));
}
