using System.Globalization;

namespace BmesCds.Ledger.Reports;

/// <summary>The report as aligned text: one table per rule and per service, the override reasons under each line.</summary>
public static class ReportTable
{
    public static void Write(LedgerReport report, TextWriter output)
    {
        output.WriteLine($"Cards issued {Describe(report.From, "the start")} to {Describe(report.To, "now")} (generated {report.GeneratedAt.ToString("u", CultureInfo.InvariantCulture)})");
        output.WriteLine();
        WriteSection(output, "rule", [.. report.ByRule, report.Total]);
        output.WriteLine();
        WriteSection(output, "service", [.. report.ByService, report.Total]);
        output.WriteLine();
        output.WriteLine($"Feedback for unknown card uuids: {report.Total.FeedbackForUnknownCards ?? 0}");
    }

    private static void WriteSection(TextWriter output, string title, IReadOnlyList<ReportLine> lines)
    {
        var width = Math.Max(title.Length, lines.Max(line => line.Key.Length));
        output.WriteLine(Row(title, "live", "shadow", "accepted", "overridden", "no feedback", "acceptance", "median to feedback", width));
        foreach (var line in lines)
        {
            output.WriteLine(Row(
                line.Key,
                Number(line.IssuedLive),
                Number(line.IssuedShadow),
                Number(line.Accepted),
                Number(line.Overridden),
                Number(line.NoFeedback),
                line.AcceptanceRate is { } rate ? (rate * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "-",
                line.MedianSecondsToFeedback is { } seconds ? Duration(seconds) : "-",
                width));
            foreach (var reason in line.OverriddenByReason)
            {
                output.WriteLine($"{new string(' ', width + 2)}overridden, {reason.Code ?? "no coded reason"}{(reason.Display is null ? "" : $" ({reason.Display})")}: {reason.Count}");
            }
        }
    }

    private static string Row(string key, string live, string shadow, string accepted, string overridden, string none, string rate, string median, int width) =>
        $"{key.PadRight(width)}  {live,8}  {shadow,8}  {accepted,8}  {overridden,10}  {none,11}  {rate,10}  {median,18}";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Describe(DateTimeOffset? instant, string open) =>
        instant is { } value ? value.ToString("u", CultureInfo.InvariantCulture) : open;

    private static string Duration(double seconds) => seconds switch
    {
        < 120 => $"{seconds:0} s",
        < 7200 => $"{seconds / 60:0.#} min",
        < 172800 => $"{seconds / 3600:0.#} h",
        _ => $"{seconds / 86400:0.#} d",
    };
}
