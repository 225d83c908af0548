namespace BmesCds.Cli;

/// <summary>Where the fhir-profiles folder (vocabulary and profiles) is: <c>--profiles DIR</c>, else the copy beside the
/// executable, else the nearest <c>fhir-profiles/</c> walking up from the current directory (a repository checkout).</summary>
internal static class ProfilesDirectory
{
    public const string FolderName = "fhir-profiles";

    public const string OptionHelp =
        "--profiles DIR   the fhir-profiles folder (default: the one beside the executable, else the nearest fhir-profiles/ above the current directory)";

    public static string Resolve(string? option)
    {
        if (option is not null)
        {
            var given = Path.GetFullPath(option);
            return Directory.Exists(given) ? given : throw new CliFailureException($"the profiles folder '{given}' does not exist.");
        }

        var beside = Path.Combine(AppContext.BaseDirectory, FolderName);
        if (Directory.Exists(beside))
        {
            return beside;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, FolderName);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CliFailureException($"no {FolderName} folder beside the executable or above the current directory: pass --profiles DIR.");
    }
}
