using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// Golden files: compares an answer with its checked-in expectation, uuids normalised. Set BMES_UPDATE_GOLDEN=1 to
/// rewrite the files instead, so a review shows the diff.
/// </summary>
public static partial class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("BMES_UPDATE_GOLDEN") == "1";

    public static void AssertMatches(string goldenPath, JsonElement actual)
    {
        var normalised = Normalise(actual);
        if (Updating || !File.Exists(goldenPath))
        {
            if (!Updating)
            {
                Assert.Fail($"Golden file {goldenPath} is missing: run the tests with BMES_UPDATE_GOLDEN=1 to create it, then review it.");
            }

            File.WriteAllText(goldenPath, normalised + "\n");
            return;
        }

        var expected = Normalise(JsonDocument.Parse(File.ReadAllText(goldenPath)).RootElement);
        Assert.That(normalised, Is.EqualTo(expected), $"Answer differs from {goldenPath} (BMES_UPDATE_GOLDEN=1 rewrites it)");
    }

    /// <summary>Indented JSON with every uuid replaced by its order of appearance, so fresh uuids compare equal.</summary>
    public static string Normalise(JsonElement json)
    {
        var text = JsonSerializer.Serialize(JsonNode.Parse(json.GetRawText()), Indented);
        var seen = new Dictionary<string, string>();
        return Uuid().Replace(text, match =>
        {
            if (!seen.TryGetValue(match.Value, out var name))
            {
                name = $"uuid-{seen.Count + 1}";
                seen[match.Value] = name;
            }

            return name;
        });
    }

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();
}
