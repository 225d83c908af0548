using System.Text.Json;
using System.Text.RegularExpressions;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>The PromQL queries of a Grafana dashboard file: for each, the metrics it selects with their label
/// matchers, and the labels it groups by.</summary>
public static partial class GrafanaDashboard
{
    public static IReadOnlyList<Query> Queries(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var expressions = new List<string>();
        Collect(document.RootElement, expressions);
        return expressions.Select(Parse).ToList();
    }

    private static void Collect(JsonElement element, List<string> expressions)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        expressions.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, expressions);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, expressions);
                }

                break;
        }
    }

    private static Query Parse(string expression)
    {
        var selectors = Selector().Matches(expression)
            .Select(match => (match.Groups["metric"].Value, (IReadOnlyList<string>)Matcher().Matches(match.Groups["labels"].Value).Select(m => m.Groups[1].Value).ToList()))
            .ToList();
        var grouped = GroupBy().Matches(expression)
            .SelectMany(match => match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        Assert.That(selectors, Is.Not.Empty, $"every dashboard query selects a metric as name{{...}}: {expression}");
        return new Query(expression, selectors, grouped);
    }

    public sealed record Query(string Expression, IReadOnlyList<(string Metric, IReadOnlyList<string> Labels)> Selectors, IReadOnlyList<string> GroupedBy);

    [GeneratedRegex(@"(?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)")]
    private static partial Regex Matcher();

    [GeneratedRegex(@"\bby\s*\(([^)]*)\)")]
    private static partial Regex GroupBy();
}
