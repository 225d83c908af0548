namespace BmesCds.Cli.Tests;

/// <summary>Runs the CLI in process, as its entry point does, and keeps what it wrote to each stream.</summary>
internal static class CliRun
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
