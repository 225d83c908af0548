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

    // Above the binaries (tests, benchmarks), else above the working directory (tools run from a checkout).
    private static string FindRoot() =>
        Above(AppContext.BaseDirectory) ?? Above(Environment.CurrentDirectory)
        ?? throw new InvalidOperationException($"BmesCds.sln not found above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}");

    private static string? Above(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BmesCds.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
