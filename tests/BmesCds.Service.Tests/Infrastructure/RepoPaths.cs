namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>Finds files of the repository (samples, captures) from the test's output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>Real requests captured from the CDS Hooks sandbox, checked in unchanged (see its README).</summary>
    public static string SandboxCaptures => Path.Combine(Root, "tests", "fixtures", "sandbox-captures");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BmesCds.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("BmesCds.sln not found above " + AppContext.BaseDirectory);
    }
}
