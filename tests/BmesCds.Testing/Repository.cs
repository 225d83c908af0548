namespace BmesCds.Testing;

/// <summary>Files of the repository (samples, captures, fhir-profiles), found from the test binaries.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples");

    public static string Cases => Path.Combine(Root, "samples", "cases");

    public static string ProfilesDirectory => Path.Combine(Root, "fhir-profiles");

    /// <summary>Real requests captured from the CDS Hooks sandbox, checked in unchanged (see its README).</summary>
    public static string SandboxCaptures => Path.Combine(Root, "tests", "fixtures", "sandbox-captures");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Path relative to the repository root, with forward slashes: readable test names.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

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
