namespace BmesCds.CdsHooks.Tests;

internal static class TestPaths
{
    public static string Root { get; } = FindRoot();

    public static string SandboxCaptures => Path.Combine(Root, "tests", "fixtures", "sandbox-captures");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BmesCds.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("BmesCds.sln not found");
    }
}
