using BmesCds.Ledger.Storage;

namespace BmesCds.Ledger.Reports;

/// <summary>
/// Builds the <see cref="LedgerReport"/>: one pass over the cards issued in the window joined with their feedback, counted
/// in memory (medians need the values; a site issues thousands of cards a month, not millions).
/// </summary>
public sealed class LedgerReporter(LedgerDatabase database)
{
    public async Task<LedgerReport> BuildAsync(DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now, CancellationToken cancel)
    {
        var lower = from ?? DateTimeOffset.FromUnixTimeMilliseconds(0);
        var upper = to ?? DateTimeOffset.MaxValue.AddDays(-1);
        var total = new Tally("total");
        var byRule = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        var byService = new SortedDictionary<string, Tally>(StringComparer.Ordinal);

        var connection = await database.OpenAsync(cancel).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Ordered by card, its feedback oldest first: the first row of a card carries its outcome.
            const string Cards = """
                SELECT c.card_uuid, c.service_id, c.rule_id, c.mode, c.issued_at, f.outcome, f.reason_code, f.reason_display, f.received_at
                FROM issued_card c LEFT JOIN feedback f ON f.card_uuid = c.card_uuid
                WHERE c.issued_at >= @from AND c.issued_at < @to
                ORDER BY c.card_uuid, f.received_at, f.item_key
                """;
            await using (var command = connection.Command(Cards).With("@from", lower).With("@to", upper))
            {
                await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
                string? previous = null;
                while (await reader.ReadAsync(cancel).ConfigureAwait(false))
                {
                    var card = reader.GetString(0);
                    if (card == previous)
                    {
                        continue;
                    }

                    previous = card;
                    var outcome = new CardOutcome(
                        reader.GetString(3) == "live",
                        reader.NullableString(5),
                        reader.NullableString(6),
                        reader.NullableString(7),
                        reader.IsDBNull(8) ? null : (reader.GetInt64(8) - reader.GetInt64(4)) / 1000.0);
                    foreach (var tally in new[] { total, Line(byRule, reader.GetString(2)), Line(byService, reader.GetString(1)) })
                    {
                        tally.Add(outcome);
                    }
                }
            }

            const string Unknown = """
                SELECT service_id, COUNT(*) FROM feedback
                WHERE card_known = 0 AND received_at >= @from AND received_at < @to
                GROUP BY service_id
                """;
            await using (var command = connection.Command(Unknown).With("@from", lower).With("@to", upper))
            {
                await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
                while (await reader.ReadAsync(cancel).ConfigureAwait(false))
                {
                    var count = reader.GetInt64(1);
                    Line(byService, reader.GetString(0)).UnknownCards += count;
                    total.UnknownCards += count;
                }
            }
        }

        return new LedgerReport(
            from,
            to,
            now,
            total.ToLine(withUnknown: true),
            [.. byRule.Values.Select(tally => tally.ToLine(withUnknown: false))],
            [.. byService.Values.Select(tally => tally.ToLine(withUnknown: true))]);
    }

    private static Tally Line(SortedDictionary<string, Tally> lines, string key)
    {
        if (!lines.TryGetValue(key, out var tally))
        {
            tally = new Tally(key);
            lines[key] = tally;
        }

        return tally;
    }

    private sealed record CardOutcome(bool Live, string? Outcome, string? ReasonCode, string? ReasonDisplay, double? SecondsToFeedback);

    /// <summary>Counts of one report line while the rows stream by.</summary>
    private sealed class Tally(string key)
    {
        private readonly List<double> _delays = [];
        private readonly Dictionary<string, (string? Code, string? Display, long Count)> _reasons = new(StringComparer.Ordinal);
        private long _live;
        private long _shadow;
        private long _accepted;
        private long _overridden;
        private long _noFeedback;

        public long UnknownCards { get; set; }

        public void Add(CardOutcome card)
        {
            if (!card.Live)
            {
                _shadow++;
                return;
            }

            _live++;
            switch (card.Outcome)
            {
                case null:
                    _noFeedback++;
                    return;
                case "accepted":
                    _accepted++;
                    break;
                default:
                    _overridden++;
                    var reasonKey = card.ReasonCode ?? string.Empty;
                    var (_, display, count) = _reasons.GetValueOrDefault(reasonKey);
                    _reasons[reasonKey] = (card.ReasonCode, display ?? card.ReasonDisplay, count + 1);
                    break;
            }

            _delays.Add(Math.Max(0, card.SecondsToFeedback ?? 0));
        }

        public ReportLine ToLine(bool withUnknown)
        {
            var answered = _accepted + _overridden;
            return new ReportLine(
                key,
                _live,
                _shadow,
                _accepted,
                _overridden,
                [.. _reasons.Values.OrderByDescending(r => r.Count).ThenBy(r => r.Code, StringComparer.Ordinal).Select(r => new ReasonCount(r.Code, r.Display, r.Count))],
                _noFeedback,
                answered == 0 ? null : Math.Round((double)_accepted / answered, 4),
                Median(_delays),
                withUnknown ? UnknownCards : null);
        }

        private static double? Median(List<double> values)
        {
            if (values.Count == 0)
            {
                return null;
            }

            values.Sort();
            var middle = values.Count / 2;
            return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
        }
    }
}
