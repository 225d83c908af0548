using System.Reflection;
using BmesCds.Service.Auth;

namespace BmesCds.Service.Tests.Auth;

/// <summary>Keeps README "Authentication" in step with the code: every configuration key and every refusal reason
/// that an operator may meet in the log is explained there.</summary>
[TestFixture]
public sealed class AuthReadmeTests
{
    private static string Section()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "BmesCds.sln")))
        {
            folder = folder.Parent;
        }

        Assert.That(folder, Is.Not.Null, "repository root (BmesCds.sln) not found above the test binaries");
        var readme = File.ReadAllText(Path.Combine(folder!.FullName, "README.md"));
        var start = readme.IndexOf("## Authentication", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "README.md has no '## Authentication' section");
        var end = readme.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    private static IEnumerable<string> ConfigKeys()
    {
        foreach (var property in typeof(CdsClientAuthOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.Name == nameof(CdsClientAuthOptions.TrustedClients))
            {
                foreach (var client in typeof(TrustedClientOptions).GetProperties())
                {
                    yield return "Auth:TrustedClients:N:" + client.Name;
                }
            }
            else if (property.Name == nameof(CdsClientAuthOptions.ReplayCache))
            {
                foreach (var cache in typeof(ReplayCacheOptions).GetProperties())
                {
                    yield return "Auth:ReplayCache:" + cache.Name;
                }
            }
            else
            {
                yield return "Auth:" + property.Name;
            }
        }
    }

    [Test]
    public void Every_auth_configuration_key_is_in_the_readme_table()
    {
        var section = Section();

        Assert.That(ConfigKeys().Where(key => !section.Contains($"`{key}", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Every_refusal_reason_in_the_log_is_explained_in_the_readme()
    {
        var section = Section();
        var reasons = Enum.GetNames<TokenFailure>().Where(name => name != nameof(TokenFailure.None));

        Assert.That(reasons.Where(reason => !section.Contains($"`{reason}`", StringComparison.Ordinal)), Is.Empty);
    }
}
