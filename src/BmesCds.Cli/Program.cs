namespace BmesCds.Cli;

/// <summary>Entry point of `bmes-cds` (a named class, not top-level statements: the service also has a `Program`).</summary>
public static class CliEntry
{
    public static int Main(string[] args) => CliApp.Run(args, Console.Out, Console.Error);
}
