using System.Text.Json;
using System.Text.RegularExpressions;
using BmesCds.CdsHooks.Conformance;
using BmesCds.CdsHooks.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// What every answer to a fuzz input must be: 200, 400, 412, 413 or 415 (or 408, see <see cref="AllowedStatuses"/>); a
/// refusal is a FHIR OperationOutcome (read by Firely's strict deserializer) whose issues say what is wrong; a 200 of a
/// service is a CDS Hooks response that keeps the protocol's rules (ResponseConformance), of feedback a receipt; the
/// console's answer carries the same status, the response (cards or the OperationOutcome) and an explanation; no body
/// carries stack trace text or an exception's type name.
/// </summary>
public static partial class AnswerCheck
{
    /// <summary>
    /// The issue's five, and 408: a body within every limit can still cost more CPU than Requests:TimeoutSeconds allows
    /// when the machine is busy (10,001 report attachments in 1.7 MB take about 0.5 s alone, over 10 s with three other
    /// calls on two loaded cores), and then the time limit answers 408 with an OperationOutcome, as designed. Which
    /// inputs reach it depends on the load, so it is allowed (and counted), never required. 401 cannot happen
    /// (authentication is off in the fuzz host), 404 and 405 neither (the paths and the method are the seeds'), 429
    /// neither (no client limit without authentication).
    /// </summary>
    public static IReadOnlyList<int> AllowedStatuses { get; } = [200, 400, 408, 412, 413, 415];

    private static readonly FhirJsonDeserializer Firely = new();

    /// <summary>Null when the answer is right; else what is wrong with it.</summary>
    public static string? Problem(AnswerKind answer, int status, string? mediaType, string body)
    {
        if (!AllowedStatuses.Contains(status))
        {
            return $"status {status}";
        }

        if (StackTrace().Match(body) is { Success: true } trace)
        {
            return $"stack trace text in the body ('{trace.Value}')";
        }

        // The console answers its own refusals (body, media type, hook, now) as OperationOutcomes too.
        if (mediaType == "application/fhir+json" || (status != 200 && answer != AnswerKind.ExplainedAnswer))
        {
            return OutcomeProblem(status, mediaType, body);
        }

        return answer switch
        {
            AnswerKind.CdsResponse => CdsResponseProblem(body),
            AnswerKind.FeedbackReceipt => FeedbackReceiptProblem(body),
            _ => ExplainedAnswerProblem(status, body),
        };
    }

    // {"status": 200, "response": {"cards": [...]}, "explanation": {...}}; a refused call's response is its OperationOutcome.
    private static string? ExplainedAnswerProblem(int status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body, Deep);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("status", out var answered) || !answered.TryGetInt32(out var said) || said != status
                || !root.TryGetProperty("explanation", out var explanation) || explanation.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("response", out var response))
            {
                return $"{status} is not an explained answer with this status, a response and an explanation";
            }

            return status == 200
                ? CdsResponseProblem(response.GetRawText())
                : OutcomeProblem(status, "application/fhir+json", response.GetRawText());
        }
        catch (JsonException failure)
        {
            return $"{status} body is not JSON: {failure.Message}";
        }
    }

    private static string? OutcomeProblem(int status, string? mediaType, string body)
    {
        if (mediaType != "application/fhir+json")
        {
            return $"{status} answered as '{mediaType ?? "no media type"}', not application/fhir+json";
        }

        Resource resource;
        try
        {
            resource = Firely.DeserializeResource(body);
        }
        catch (DeserializationFailedException failure)
        {
            return $"{status} body is not FHIR Firely reads: {failure.Message}";
        }

        if (resource is not OperationOutcome { Issue.Count: > 0 } outcome)
        {
            return $"{status} body is a {resource.TypeName}, not an OperationOutcome with issues";
        }

        return outcome.Issue.FirstOrDefault(issue =>
                issue.Severity is not (OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
                || issue.Code is null
                || string.IsNullOrWhiteSpace(issue.Diagnostics)) is { } vague
            ? $"{status} OperationOutcome has an issue without error severity, code or diagnostics: {vague.Severity} {vague.Code} '{vague.Diagnostics}'"
            : null;
    }

    // An update suggestion carries the EHR's draft order: as deep as a request may be, inside the card's levels.
    private static readonly JsonDocumentOptions Deep = new() { MaxDepth = RequestLimits.HighestMaxJsonDepth + 32 };

    private static string? CdsResponseProblem(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body, Deep);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("cards", out var cards) || cards.ValueKind != JsonValueKind.Array)
            {
                return "200 without a cards array";
            }

            var problems = ResponseConformance.Check(json.RootElement);
            return problems.Count == 0 ? null : "200 breaks CDS Hooks rules: " + string.Join("; ", problems);
        }
        catch (JsonException failure)
        {
            return $"200 body is not JSON: {failure.Message}";
        }
    }

    private static string? FeedbackReceiptProblem(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("received", out var received) && received.ValueKind == JsonValueKind.Number
                ? null
                : "feedback 200 without its receipt ('received')";
        }
        catch (JsonException failure)
        {
            return $"200 body is not JSON: {failure.Message}";
        }
    }

    // A .NET stack frame ("at Namespace.Type.Method("), a source line, or an exception type name.
    [GeneratedRegex(@"\bat [\w.`<>]+\.[\w<>]+\(|\.cs:line \d+|\b\w+Exception\b")]
    private static partial Regex StackTrace();
}
