using BmesCds.Cli.Verbs;

namespace BmesCds.Cli;

/// <summary>Exit codes of every verb.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
}

/// <summary>One verb of the command line: <c>bmes-cds NAME --option value ...</c>.</summary>
internal interface ICliVerb
{
    string Name { get; }

    string Summary { get; }

    /// <summary>Options and their meaning, printed by <c>bmes-cds NAME --help</c>.</summary>
    string Usage { get; }

    int Run(CliArguments arguments, TextWriter stdout, TextWriter stderr);
}

/// <summary>A mistake in how the command was called: exit code 2 and the verb's usage.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The command cannot do its work (a file is missing or holds no key): exit code 1.</summary>
internal sealed class CliFailureException(string message) : Exception(message);

/// <summary>Dispatches to a verb. Each verb is one class, added to <see cref="Verbs"/>.</summary>
internal static class CliApp
{
    public static IReadOnlyList<ICliVerb> Verbs { get; } = [new TokenVerb(), new CallVerb(), new KeygenVerb(), new EvaluateVerb(), new ValidateVerb(), new ReportVerb()];

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, Verbs);

    /// <summary>With a given set of verbs: tests pass verbs that share costly parts (one warm validator).</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyList<ICliVerb> verbs)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            WriteOverview(args.Length == 0 ? stderr : stdout, verbs);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }

        var verb = verbs.FirstOrDefault(v => v.Name == args[0]);
        if (verb is null)
        {
            stderr.WriteLine($"bmes-cds: unknown command '{args[0]}'.");
            WriteOverview(stderr, verbs);
            return ExitCodes.Usage;
        }

        var rest = args[1..];
        if (rest.Any(a => a is "--help" or "-h"))
        {
            stdout.WriteLine(verb.Usage);
            return ExitCodes.Ok;
        }

        try
        {
            return verb.Run(CliArguments.Parse(rest), stdout, stderr);
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"bmes-cds {verb.Name}: {ex.Message}");
            stderr.WriteLine(verb.Usage);
            return ExitCodes.Usage;
        }
        catch (CliFailureException ex)
        {
            stderr.WriteLine($"bmes-cds {verb.Name}: {ex.Message}");
            return ExitCodes.Failed;
        }
    }

    private static void WriteOverview(TextWriter writer, IReadOnlyList<ICliVerb> verbs)
    {
        writer.WriteLine("usage: bmes-cds <command> [arguments] [options]   (bmes-cds <command> --help for its options)");
        foreach (var verb in verbs)
        {
            writer.WriteLine($"  {verb.Name,-8} {verb.Summary}");
        }
    }
}
