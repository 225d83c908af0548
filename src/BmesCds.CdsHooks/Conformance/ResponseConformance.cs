using System.Text.Json;

namespace BmesCds.CdsHooks.Conformance;

/// <summary>
/// Checks a CDS Hooks response body (raw JSON, so nulls and empties are seen) against the rules of CDS Hooks 2.0.1.
/// Invariant ids follow the specification's FHIR logical models:
/// cds-resp-1 `cards` is present and an array;
/// cds-resp-2 `summary` is present and shorter than 140 characters;
/// cds-resp-3 `indicator` is info | warning | critical;
/// cds-resp-4 `source` with a non-empty `label` is present;
/// cds-resp-5 `selectionBehavior` (at-most-one | any) is present whenever there are suggestions, and only then;
/// cds-resp-6 every override reason and topic Coding has a code and a `display`.
/// Plus the general JSON rules (no null, no empty string/array/object except `cards`), actions (create/update carry
/// a resource, delete carries `resourceId`), links (absolute URL, type absolute|smart), and uuid uniqueness.
/// </summary>
public static class ResponseConformance
{
    private static readonly HashSet<string> Indicators = ["info", "warning", "critical"];
    private static readonly HashSet<string> SelectionBehaviors = ["at-most-one", "any"];

    public static IReadOnlyList<string> Check(JsonElement response)
    {
        var problems = new List<string>();
        if (response.ValueKind != JsonValueKind.Object)
        {
            return ["response: must be a JSON object"];
        }

        JsonRules.CheckNoNullsOrEmpties(response, "$", problems, allowEmptyArrayAt: "$.cards");
        if (!response.TryGetProperty("cards", out var cards) || cards.ValueKind != JsonValueKind.Array)
        {
            problems.Add("cds-resp-1: `cards` must be present and an array");
            return problems;
        }

        var uuids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var card in cards.EnumerateArray())
        {
            CheckCard(card, $"cards[{index++}]", problems, uuids);
        }

        if (response.TryGetProperty("systemActions", out var systemActions) && systemActions.ValueKind == JsonValueKind.Array)
        {
            var actionIndex = 0;
            foreach (var action in systemActions.EnumerateArray())
            {
                CheckAction(action, $"systemActions[{actionIndex++}]", problems);
            }
        }

        return problems;
    }

    private static void CheckCard(JsonElement card, string path, List<string> problems, HashSet<string> uuids)
    {
        if (card.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: must be an object");
            return;
        }

        CheckUuid(card, path, problems, uuids);
        var summary = StringOf(card, "summary");
        if (summary is null || summary.Length >= 140)
        {
            problems.Add($"cds-resp-2: {path}.summary must be present and shorter than 140 characters");
        }

        if (StringOf(card, "indicator") is not { } indicator || !Indicators.Contains(indicator))
        {
            problems.Add($"cds-resp-3: {path}.indicator must be info, warning or critical");
        }

        if (!card.TryGetProperty("source", out var source) || StringOf(source, "label") is null)
        {
            problems.Add($"cds-resp-4: {path}.source.label is required");
        }
        else
        {
            CheckAbsoluteUrl(source, "url", $"{path}.source", problems);
            CheckAbsoluteUrl(source, "icon", $"{path}.source", problems);
            if (source.TryGetProperty("topic", out var topic))
            {
                CheckCoding(topic, $"{path}.source.topic", problems);
            }
        }

        CheckSuggestions(card, path, problems, uuids);
        CheckArray(card, "overrideReasons", path, problems, (reason, reasonPath) => CheckCoding(reason, reasonPath, problems));
        CheckArray(card, "links", path, problems, (link, linkPath) => CheckLink(link, linkPath, problems));
    }

    private static void CheckSuggestions(JsonElement card, string path, List<string> problems, HashSet<string> uuids)
    {
        var hasSuggestions = card.TryGetProperty("suggestions", out var suggestions) && suggestions.ValueKind == JsonValueKind.Array
            && suggestions.GetArrayLength() > 0;
        var behavior = StringOf(card, "selectionBehavior");
        if (hasSuggestions && (behavior is null || !SelectionBehaviors.Contains(behavior)))
        {
            problems.Add($"cds-resp-5: {path}.selectionBehavior must be at-most-one or any when there are suggestions");
        }

        if (!hasSuggestions && behavior is not null)
        {
            problems.Add($"cds-resp-5: {path}.selectionBehavior is only meaningful with suggestions");
        }

        if (!hasSuggestions)
        {
            return;
        }

        var recommended = 0;
        var index = 0;
        foreach (var suggestion in suggestions.EnumerateArray())
        {
            var suggestionPath = $"{path}.suggestions[{index++}]";
            if (StringOf(suggestion, "label") is null)
            {
                problems.Add($"{suggestionPath}.label is required");
            }

            CheckUuid(suggestion, suggestionPath, problems, uuids);
            if (suggestion.TryGetProperty("isRecommended", out var isRecommended) && isRecommended.ValueKind == JsonValueKind.True)
            {
                recommended++;
            }

            CheckArray(suggestion, "actions", suggestionPath, problems, (action, actionPath) => CheckAction(action, actionPath, problems));
        }

        if (behavior == "at-most-one" && recommended > 1)
        {
            problems.Add($"{path}: at most one suggestion may be recommended when selectionBehavior is at-most-one");
        }
    }

    private static void CheckAction(JsonElement action, string path, List<string> problems)
    {
        var type = StringOf(action, "type");
        if (type is not ("create" or "update" or "delete"))
        {
            problems.Add($"{path}.type must be create, update or delete");
        }

        if (StringOf(action, "description") is null)
        {
            problems.Add($"{path}.description is required");
        }

        var hasResource = action.TryGetProperty("resource", out var resource) && resource.ValueKind == JsonValueKind.Object;
        if (type is "create" or "update" && (!hasResource || StringOf(resource, "resourceType") is null))
        {
            problems.Add($"{path}: a {type} action needs a FHIR resource");
        }

        if (type == "delete" && (StringOf(action, "resourceId") is not { } id || !id.Contains('/', StringComparison.Ordinal) || hasResource))
        {
            problems.Add($"{path}: a delete action uses resourceId (a relative reference such as ServiceRequest/1), not resource");
        }
    }

    private static void CheckLink(JsonElement link, string path, List<string> problems)
    {
        if (StringOf(link, "label") is null)
        {
            problems.Add($"{path}.label is required");
        }

        if (StringOf(link, "url") is null)
        {
            problems.Add($"{path}.url is required");
        }

        CheckAbsoluteUrl(link, "url", path, problems);
        var type = StringOf(link, "type");
        if (type is not ("absolute" or "smart"))
        {
            problems.Add($"{path}.type must be absolute or smart");
        }

        if (type == "absolute" && link.TryGetProperty("appContext", out _))
        {
            problems.Add($"{path}.appContext is only valid for smart links");
        }
    }

    private static void CheckCoding(JsonElement coding, string path, List<string> problems)
    {
        if (StringOf(coding, "code") is null || StringOf(coding, "display") is null)
        {
            problems.Add($"cds-resp-6: {path} needs a code and a display");
        }
    }

    private static void CheckUuid(JsonElement element, string path, List<string> problems, HashSet<string> uuids)
    {
        if (StringOf(element, "uuid") is not { } uuid)
        {
            return;
        }

        if (!Guid.TryParse(uuid, out _))
        {
            problems.Add($"{path}.uuid must be a UUID");
        }

        if (!uuids.Add(uuid))
        {
            problems.Add($"{path}.uuid {uuid} is not unique in the response");
        }
    }

    private static void CheckAbsoluteUrl(JsonElement parent, string name, string path, List<string> problems)
    {
        // Uri.TryCreate takes "/path" for an absolute file URI on Unix: insist on a web scheme.
        if (StringOf(parent, name) is { } url
            && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            problems.Add($"{path}.{name} must be an absolute URL");
        }
    }

    private static void CheckArray(JsonElement parent, string name, string path, List<string> problems, Action<JsonElement, string> check)
    {
        if (!parent.TryGetProperty(name, out var array))
        {
            return;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{path}.{name} must be an array");
            return;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            check(item, $"{path}.{name}[{index++}]");
        }
    }

    private static string? StringOf(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;
}
