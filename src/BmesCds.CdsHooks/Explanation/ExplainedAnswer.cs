using System.Text.Json;
using System.Text.Json.Nodes;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;

namespace BmesCds.CdsHooks.Explanation;

/// <summary>
/// A hook call with its explanation, as one JSON document: <c>{"status": 200, "response": {"cards": [...]}, "explanation": {...}}</c>.
/// The console's POST /console/evaluate answers it and <c>bmes-cds evaluate --explain --format json</c> prints it, so
/// both read the same. <see cref="Response"/> is what the service call answers: the CDS Hooks response, or for a
/// refused call the host's error body (an OperationOutcome).
/// </summary>
public sealed record ExplainedAnswer(int Status, JsonNode? Response, HookExplanation Explanation)
{
    /// <summary>The answer of <paramref name="outcome"/>; <paramref name="refusal"/> is the error body the host gives a refused call.</summary>
    public static ExplainedAnswer Of(HookOutcome outcome, HookExplanation explanation, JsonNode? refusal = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var response = outcome.Response is { } cards ? JsonSerializer.SerializeToNode(cards, CdsJson.Options) : refusal;
        return new ExplainedAnswer(outcome.Status, response, explanation);
    }

    /// <summary>The document, in the CDS Hooks JSON rules (camelCase, no nulls).</summary>
    public string ToJson(bool indented = true) => JsonSerializer.Serialize(this, indented ? CdsJson.IndentedOptions : CdsJson.Options);
}
