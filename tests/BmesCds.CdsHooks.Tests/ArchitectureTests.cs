using BmesCds.CdsHooks.Pipeline;
using BmesCds.Testing;

namespace BmesCds.CdsHooks.Tests;

/// <summary>
/// Dependency direction (issue 11): Service, Cli -> CdsHooks -> Clinical -> Hl7.Fhir.R4. The protocol library knows no
/// host (no ASP.NET), and its wire model (requests, responses) knows nothing of the clinical rules.
/// </summary>
public class ArchitectureTests
{
    [Test]
    public void The_protocol_library_references_no_aspnet_and_no_host_project()
    {
        var references = typeof(HookPipeline).Assembly.GetReferencedAssemblies().Select(name => name.Name ?? string.Empty).ToList();
        Assert.That(references, Does.Contain("BmesCds.Clinical"));
        Assert.That(references.Where(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || name is "BmesCds.Service" or "BmesCds.Cli" or "BmesCds.Profiles"), Is.Empty);
    }

    [TestCase("Requests")]
    [TestCase("Responses")]
    [TestCase("Json")]
    [TestCase("Fhir")]
    public void The_wire_model_knows_nothing_of_the_clinical_rules(string folder)
    {
        var offenders = Directory.EnumerateFiles(Repository.Combine("src", "BmesCds.CdsHooks", folder), "*.cs")
            .Where(file => File.ReadAllText(file) is var text
                && (text.Contains("BmesCds.Clinical.Rules", StringComparison.Ordinal) || text.Contains("RuleCatalogue", StringComparison.Ordinal)))
            .Select(Path.GetFileName)
            .ToList();
        Assert.That(offenders, Is.Empty);
    }
}
