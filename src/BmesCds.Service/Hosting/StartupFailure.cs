using BmesCds.Clinical.Terminology;
using BmesCds.Profiles;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BmesCds.Service.Hosting;

/// <summary>
/// Start-up failures an operator fixes in configuration, told as ONE line that names the setting (no stack trace), and
/// exit code 1. Anything else is a bug and keeps its stack trace.
/// </summary>
public static class StartupFailure
{
    public const int ExitCode = 1;

    /// <summary>
    /// Whether this is the service's own process (dotnet BmesCds.Service.dll). A host embedded in another process (the
    /// integration tests' WebApplicationFactory) lets the exception through to its caller instead.
    /// </summary>
    public static bool IsOwnProcess => System.Reflection.Assembly.GetEntryAssembly() == typeof(StartupFailure).Assembly;

    /// <summary>The line to print, or null when <paramref name="failure"/> is not a configuration problem.</summary>
    public static string? Explain(Exception failure) => failure switch
    {
        StartupConfigurationException problem => problem.Message,
        TerminologyException problem => $"Terminology:Directory: {problem.Message}",
        ProfileLoadException problem => $"Terminology:Directory: {problem.Message}",
        OptionsValidationException problem => string.Join(" ", problem.Failures),
        RedisConnectionException problem => $"Auth:ReplayCache:Redis: cannot connect to the replay cache ({FirstSentence(problem.Message)})",
        IOException problem when problem.Message.StartsWith("Failed to bind to address", StringComparison.Ordinal) => $"Urls: {problem.Message}",
        // The configuration binder: a value of the wrong type, e.g. Cards:ReplaceAction=Sometimes. Its message names the key.
        InvalidOperationException problem when problem.Source == "Microsoft.Extensions.Configuration.Binder" => problem.Message,
        _ => null,
    } is { } line
        ? "BmesCds cannot start: " + OneLine(line)
        : null;

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string FirstSentence(string text) => OneLine(text).Split(". ")[0].TrimEnd('.');
}
