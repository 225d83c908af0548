using System.Text.Json;

namespace BmesCds.CdsHooks.Conformance;

/// <summary>
/// CDS Hooks' general JSON rules: attributes SHALL NOT be null, optional strings and arrays are omitted rather than
/// empty, and objects SHALL NOT be empty. FHIR resources inside are held to the same rule (FHIR forbids empties too).
/// </summary>
internal static class JsonRules
{
    public static void CheckNoNullsOrEmpties(JsonElement element, string path, List<string> problems, string allowEmptyArrayAt)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                problems.Add($"{path}: null is not allowed (omit the attribute)");
                break;
            case JsonValueKind.String when string.IsNullOrWhiteSpace(element.GetString()):
                problems.Add($"{path}: empty string is not allowed (omit the attribute)");
                break;
            case JsonValueKind.Array:
                if (element.GetArrayLength() == 0 && path != allowEmptyArrayAt)
                {
                    problems.Add($"{path}: empty array is not allowed (omit the attribute)");
                }

                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckNoNullsOrEmpties(item, $"{path}[{index++}]", problems, allowEmptyArrayAt);
                }

                break;
            case JsonValueKind.Object:
                if (!element.EnumerateObject().Any())
                {
                    problems.Add($"{path}: empty object is not allowed");
                }

                foreach (var property in element.EnumerateObject())
                {
                    CheckNoNullsOrEmpties(property.Value, $"{path}.{property.Name}", problems, allowEmptyArrayAt);
                }

                break;
            default:
                break;
        }
    }
}
