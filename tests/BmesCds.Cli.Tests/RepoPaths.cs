namespace BmesCds.Cli.Tests;

/// <summary>Files of the repository (samples, fhir-profiles), found from the test binaries.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

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
