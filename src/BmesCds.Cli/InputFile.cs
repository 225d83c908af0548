using System.Text.Json;

namespace BmesCds.Cli;

/// <summary>Reads a JSON input file; a missing, unreadable or non-JSON file is a failure (exit 1), not a usage error.</summary>
internal static class InputFile
{
    public static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliFailureException($"'{path}' does not exist.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliFailureException($"cannot read '{path}': {ex.Message}");
        }
    }

    public static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliFailureException($"'{path}' does not exist.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliFailureException($"cannot read '{path}': {ex.Message}");
        }
    }

    public static JsonDocument ReadJson(string path)
    {
        var text = ReadText(path);
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new CliFailureException($"'{path}' is not JSON: {ex.Message}");
        }
    }
}
