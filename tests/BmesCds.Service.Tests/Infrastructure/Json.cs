using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>Small helpers to post JSON and read answers.</summary>
public static class Json
{
    public static StringContent Body(string json) =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public static StringContent Body(JsonNode json) => Body(json.ToJsonString());

    public static JsonNode Load(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>The diagnostics and expression of the first issue of an OperationOutcome answer.</summary>
    public static async Task<(string Diagnostics, string? Expression)> ReadOutcomeAsync(HttpResponseMessage response)
    {
        var outcome = await ReadAsync(response);
        Assert.That(outcome.GetProperty("resourceType").GetString(), Is.EqualTo("OperationOutcome"));
        var issue = outcome.GetProperty("issue")[0];
        var expression = issue.TryGetProperty("expression", out var expr) ? expr[0].GetString() : null;
        return (issue.GetProperty("diagnostics").GetString()!, expression);
    }
}
