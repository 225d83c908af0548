using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>Counts the answers of a run per mutation kind (and per route) and status, and keeps the slowest input (for the report, never asserted).</summary>
public sealed class FuzzTally
{
    private readonly ConcurrentDictionary<(MutationKind Kind, int Status), int> _counts = new();
    private readonly ConcurrentDictionary<(string Route, int Status), int> _routes = new();
    private readonly Lock _gate = new();

    public int Total => _counts.Values.Sum();

    public (TimeSpan Duration, string Input)? Slowest { get; private set; }

    public void Count(FuzzInput input, FuzzRoute route, int status, TimeSpan duration)
    {
        _counts.AddOrUpdate((input.Kind, status), 1, (_, count) => count + 1);
        _routes.AddOrUpdate((route.Name, status), 1, (_, count) => count + 1);
        lock (_gate)
        {
            if (Slowest is null || duration > Slowest.Value.Duration)
            {
                Slowest = (duration, input.Describe());
            }
        }
    }

    /// <summary>A Markdown table: one row per mutation kind, one column per status seen, totals last.</summary>
    public string Table() =>
        Markdown("Mutation", _counts.ToDictionary(pair => (pair.Key.Kind.ToString(), pair.Key.Status), pair => pair.Value), Enum.GetNames<MutationKind>());

    /// <summary>The same per route (endpoint and host).</summary>
    public string RoutesTable() =>
        Markdown("Sent to", _routes.ToDictionary(pair => (pair.Key.Route, pair.Key.Status), pair => pair.Value), [.. _routes.Keys.Select(key => key.Route).Distinct().Order(StringComparer.Ordinal)]);

    private static string Markdown(string heading, Dictionary<(string Row, int Status), int> counts, IReadOnlyList<string> order)
    {
        var statuses = counts.Keys.Select(key => key.Status).Distinct().Order().ToList();
        var rows = order.Where(row => counts.Keys.Any(key => key.Row == row)).ToList();
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"| {heading} | {string.Join(" | ", statuses)} | all |");
        table.AppendLine(CultureInfo.InvariantCulture, $"|---|{string.Concat(statuses.Select(_ => "---:|"))}---:|");
        foreach (var row in rows)
        {
            var cells = statuses.Select(status => Number(counts.GetValueOrDefault((row, status))));
            table.AppendLine(CultureInfo.InvariantCulture, $"| {row} | {string.Join(" | ", cells)} | {Number(statuses.Sum(status => counts.GetValueOrDefault((row, status))))} |");
        }

        var column = statuses.Select(status => counts.Where(pair => pair.Key.Status == status).Sum(pair => pair.Value)).ToList();
        table.AppendLine(CultureInfo.InvariantCulture, $"| all | {string.Join(" | ", column.Select(Number))} | {Number(column.Sum())} |");
        return table.ToString();
    }

    private static string Number(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
