using System.Globalization;
using System.Text.Json;
using BmesCds.CdsHooks.Requests;

namespace BmesCds.CdsHooks.Feedback;

/// <summary>
/// Reads and validates a feedback POST. Enforces the feedback invariants: `acceptedSuggestions` is required (and
/// non-empty) for `accepted` (cds-fb-1) and an `overrideReason` belongs only to `overridden` (cds-fb-2);
/// `outcomeTimestamp` is an RFC 3339 date-time.
/// </summary>
public static class FeedbackParser
{
    public static Parsed<FeedbackRequest> Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new ProtocolError(string.Empty, "the request body must be a JSON object");
        }

        if (!root.TryGetProperty("feedback", out var feedback) || feedback.ValueKind == JsonValueKind.Null)
        {
            return new ProtocolError("feedback", "is required", ProtocolErrorKind.Required);
        }

        if (feedback.ValueKind != JsonValueKind.Array || feedback.GetArrayLength() == 0)
        {
            return new ProtocolError("feedback", "must be a non-empty array");
        }

        var items = new List<FeedbackItem>();
        var index = 0;
        foreach (var element in feedback.EnumerateArray())
        {
            var item = ParseItem(element, $"feedback[{index++}]");
            if (item.Error is { } error)
            {
                return error;
            }

            items.Add(item.Value!);
        }

        return new FeedbackRequest(items);
    }

    private static Parsed<FeedbackItem> ParseItem(JsonElement item, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new ProtocolError(path, "must be an object");
        }

        if (HookRequestParser.RequiredString(item, "card", $"{path}.card") is { Error: { } cardError })
        {
            return cardError;
        }

        if (HookRequestParser.RequiredString(item, "outcome", $"{path}.outcome") is { Error: { } outcomeError })
        {
            return outcomeError;
        }

        FeedbackOutcome? outcome = item.GetProperty("outcome").GetString() switch
        {
            "accepted" => FeedbackOutcome.Accepted,
            "overridden" => FeedbackOutcome.Overridden,
            _ => null,
        };
        if (outcome is null)
        {
            return new ProtocolError($"{path}.outcome", "must be 'accepted' or 'overridden'");
        }

        var suggestions = ReadAcceptedSuggestions(item, path, outcome.Value);
        if (suggestions.Error is { } suggestionError)
        {
            return suggestionError;
        }

        var reason = ReadOverrideReason(item, path, outcome.Value);
        if (reason.Error is { } reasonError)
        {
            return reasonError;
        }

        var timestamp = ReadTimestamp(item, $"{path}.outcomeTimestamp");
        if (timestamp.Error is { } timestampError)
        {
            return timestampError;
        }

        return new FeedbackItem(
            item.GetProperty("card").GetString()!,
            outcome.Value,
            suggestions.Value!,
            reason.Value,
            DateTimeOffset.Parse(timestamp.Value!, CultureInfo.InvariantCulture));
    }

    private static Parsed<IReadOnlyList<string>> ReadAcceptedSuggestions(JsonElement item, string path, FeedbackOutcome outcome)
    {
        var field = $"{path}.acceptedSuggestions";
        var present = item.TryGetProperty("acceptedSuggestions", out var accepted) && accepted.ValueKind != JsonValueKind.Null;
        if (outcome == FeedbackOutcome.Overridden)
        {
            return present
                ? new ProtocolError(field, "is only allowed when outcome is 'accepted'")
                : new Parsed<IReadOnlyList<string>>([], null);
        }

        if (!present)
        {
            return new ProtocolError(field, "is required when outcome is 'accepted'", ProtocolErrorKind.Required);
        }

        if (accepted.ValueKind != JsonValueKind.Array || accepted.GetArrayLength() == 0)
        {
            return new ProtocolError(field, "must be a non-empty array of objects with an 'id'");
        }

        var ids = new List<string>();
        var index = 0;
        foreach (var suggestion in accepted.EnumerateArray())
        {
            var id = suggestion.ValueKind == JsonValueKind.Object
                ? HookRequestParser.RequiredString(suggestion, "id", $"{field}[{index}].id")
                : new ProtocolError($"{field}[{index}]", "must be an object with an 'id'");
            if (id.Error is { } error)
            {
                return error;
            }

            ids.Add(id.Value!);
            index++;
        }

        return ids;
    }

    private static Parsed<OverrideReason> ReadOverrideReason(JsonElement item, string path, FeedbackOutcome outcome)
    {
        var field = $"{path}.overrideReason";
        if (!item.TryGetProperty("overrideReason", out var reason) || reason.ValueKind == JsonValueKind.Null)
        {
            return new Parsed<OverrideReason>(null, null);
        }

        if (outcome != FeedbackOutcome.Overridden)
        {
            return new ProtocolError(field, "is only allowed when outcome is 'overridden'");
        }

        if (reason.ValueKind != JsonValueKind.Object)
        {
            return new ProtocolError(field, "must be an object with 'reason' and/or 'userComment'");
        }

        var comment = HookRequestParser.OptionalString(reason, "userComment");
        if (!reason.TryGetProperty("reason", out var coding) || coding.ValueKind == JsonValueKind.Null)
        {
            return comment is null
                ? new ProtocolError(field, "needs a 'reason' Coding or a 'userComment'", ProtocolErrorKind.Required)
                : new OverrideReason(null, null, null, comment);
        }

        if (coding.ValueKind != JsonValueKind.Object)
        {
            return new ProtocolError($"{field}.reason", "must be a Coding object");
        }

        if (HookRequestParser.RequiredString(coding, "code", $"{field}.reason.code") is { Error: { } codeError })
        {
            return codeError;
        }

        return new OverrideReason(
            HookRequestParser.OptionalString(coding, "system"),
            coding.GetProperty("code").GetString(),
            HookRequestParser.OptionalString(coding, "display"),
            comment);
    }

    private static Parsed<string> ReadTimestamp(JsonElement item, string field)
    {
        var value = HookRequestParser.RequiredString(item, "outcomeTimestamp", field);
        if (value.Error is not null)
        {
            return value;
        }

        // RFC 3339: a full date and time with an explicit offset ("Z" or "+hh:mm").
        var text = value.Value!;
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return hasOffset && text.Contains('T', StringComparison.OrdinalIgnoreCase)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? text
            : new ProtocolError(field, "must be an RFC 3339 date-time in UTC, e.g. 2026-11-28T23:38:03.468Z");
    }
}
