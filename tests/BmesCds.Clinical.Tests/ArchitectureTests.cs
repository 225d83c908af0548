using System.Text.RegularExpressions;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Tests.Support;

namespace BmesCds.Clinical.Tests;

/// <summary>
/// The clinical library stays pure (STYLE.md, issue 11): FHIR objects in, card drafts out. No ASP.NET, no HTTP, no
/// JSON library (requests are read by the protocol layer), no clock (time is passed in), no other BmesCds project.
/// </summary>
public partial class ArchitectureTests
{
    private static List<string> References() =>
        typeof(BmesEngine).Assembly.GetReferencedAssemblies().Select(name => name.Name ?? string.Empty).ToList();

    [Test]
    public void Clinical_library_references_no_aspnet_no_http_no_json_and_no_other_bmes_assembly()
    {
        var references = References();
        Assert.That(references, Has.Some.StartsWith("Hl7.Fhir"));
        Assert.That(references.Where(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || name.StartsWith("System.Net.Http", StringComparison.Ordinal)
            || name.StartsWith("System.Text.Json", StringComparison.Ordinal)
            || (name.StartsWith("BmesCds.", StringComparison.Ordinal) && name != "BmesCds.Clinical")), Is.Empty);
    }

    [Test]
    public void Clinical_code_reads_no_clock()
    {
        var offenders = Directory.EnumerateFiles(Path.Combine(Fixtures.RepoRoot, "src", "BmesCds.Clinical"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => Clock().IsMatch(File.ReadAllText(file)))
            .Select(Path.GetFileName)
            .ToList();
        Assert.That(offenders, Is.Empty, "the evaluation instant is EvaluationRequest.Now");
    }

    [GeneratedRegex(@"DateTime(Offset)?\.(Utc)?Now|TimeProvider|Stopwatch|Environment\.TickCount")]
    private static partial Regex Clock();
}
