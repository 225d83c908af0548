namespace BmesCds.Clinical.Findings;

/// <summary>
/// The clinical windows (BMES-RULES.md 7a, C1): whole calendar days counted in UTC from the event's date to the
/// evaluation date. "In the last N days" includes the day exactly N days ago and excludes N + 1; months and years
/// are calendar months and years; weeks are 7 days. An event dated in the future counts as recent. A partial date
/// ("2026-08") has already been read at its earliest instant (<see cref="FhirFacts.ParseDate"/>).
/// </summary>
internal static class ClinicalWindow
{
    /// <summary>Whole UTC calendar days from the event's date to the evaluation date (negative for a future date).</summary>
    public static int DaysBefore(DateTimeOffset date, DateTimeOffset now) => (now.UtcDateTime.Date - date.UtcDateTime.Date).Days;

    public static bool InLastDays(DateTimeOffset? date, DateTimeOffset now, int days) =>
        date is { } when && DaysBefore(when, now) <= days;

    public static bool InLastWeeks(DateTimeOffset? date, DateTimeOffset now, int weeks) => InLastDays(date, now, 7 * weeks);

    public static bool InLastMonths(DateTimeOffset? date, DateTimeOffset now, int months) =>
        date is { } when && when.UtcDateTime.Date >= now.UtcDateTime.Date.AddMonths(-months);

    public static bool InLastYears(DateTimeOffset? date, DateTimeOffset now, int years) =>
        date is { } when && when.UtcDateTime.Date >= now.UtcDateTime.Date.AddYears(-years);

    /// <summary>At least N whole days ago (pain "for at least 2 weeks").</summary>
    public static bool AtLeastDaysBefore(DateTimeOffset? date, DateTimeOffset now, int days) =>
        date is { } when && DaysBefore(when, now) >= days;
}
