using System.Globalization;

namespace BmesCds.Ledger.Reports;

/// <summary>Reads the report window's <c>from</c> and <c>to</c>: a date (midnight UTC at its start) or an ISO 8601 date-time.</summary>
public static class ReportInstant
{
    public const string Expected = "a date such as 2026-11-01 (midnight UTC) or a date-time such as 2026-11-01T08:00:00Z";

    public static bool TryParse(string? text, out DateTimeOffset? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            instant = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        if (text.Contains('T', StringComparison.OrdinalIgnoreCase)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            instant = parsed.ToUniversalTime();
            return true;
        }

        return false;
    }
}
