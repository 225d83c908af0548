using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>Counts the answers of a run per mutation kind and status, and keeps the slowest input (for the report, never asserted).</summary>
public sealed class FuzzTally
{
    private readonly ConcurrentDictionary<(MutationKind Kind, int Status), int> _counts = new();
    private readonly Lock _gate = new();

    public int Total => _counts.Values.Sum();

    public (TimeSpan Duration, string Input)? Slowest { get; private set; }

    public void Count(FuzzInput input, int status, TimeSpan duration)
    {
        _counts.AddOrUpdate((input.Kind, status), 1, (_, count) => count + 1);
        lock (_gate)
        {
            if (Slowest is null || duration > Slowest.Value.Duration)
            {
                Slowest = (duration, input.Describe());
            }
        }
    }

    public IReadOnlyDictionary<int, int> ByStatus() =>
        _counts.GroupBy(pair => pair.Key.Status).ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value));

    /// <summary>A Markdown table: one row per mutation kind, one column per status seen, totals last.</summary>
    public string Table()
    {
        var statuses = _counts.Keys.Select(key => key.Status).Distinct().Order().ToList();
        var kinds = _counts.Keys.Select(key => key.Kind).Distinct().Order().ToList();
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"| Mutation | {string.Join(" | ", statuses)} | all |");
        table.AppendLine(CultureInfo.InvariantCulture, $"|---|{string.Concat(statuses.Select(_ => "---:|"))}---:|");
        foreach (var kind in kinds)
        {
            var cells = statuses.Select(status => Number(_counts.GetValueOrDefault((kind, status))));
            var all = statuses.Sum(status => _counts.GetValueOrDefault((kind, status)));
            table.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {string.Join(" | ", cells)} | {Number(all)} |");
        }

        var byStatus = ByStatus();
        table.AppendLine(CultureInfo.InvariantCulture, $"| all | {string.Join(" | ", statuses.Select(status => Number(byStatus[status])))} | {Number(Total)} |");
        return table.ToString();
    }

    private static string Number(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
