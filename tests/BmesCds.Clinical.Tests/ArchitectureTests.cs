using BmesCds.Clinical.Engine;

namespace BmesCds.Clinical.Tests;

/// <summary>The clinical library stays pure: no ASP.NET, no HTTP client (STYLE.md, dependency direction).</summary>
public class ArchitectureTests
{
    [Test]
    public void Clinical_library_references_no_aspnet_and_no_http_assembly()
    {
        var references = typeof(BmesEngine).Assembly.GetReferencedAssemblies().Select(name => name.Name ?? string.Empty).ToList();
        Assert.That(references, Is.Not.Empty);
        Assert.That(references.Where(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || name.StartsWith("System.Net.Http", StringComparison.Ordinal)), Is.Empty);
    }
}
