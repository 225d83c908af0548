using System.Data.Common;
using BmesCds.Ledger.Records;

namespace BmesCds.Ledger.Storage;

/// <summary>What storing one feedback item did: whether it was new (not a duplicate) and the rule of its card, if known.</summary>
public sealed record FeedbackWritten(ReceivedFeedback Feedback, bool Stored, string? CardRuleId);

/// <summary>A rule that must stay silent for one patient's joint and side: a card carrying it was overridden at OverriddenAt.</summary>
public sealed record Snooze(string RuleId, string Joint, string Side, DateTimeOffset OverriddenAt);

/// <summary>A snooze and the pseudonymous key of the patient it holds for.</summary>
public sealed record PatientSnooze(string PatientKey, Snooze Snooze);

/// <summary>Rows removed by one retention sweep.</summary>
public sealed record RetentionResult(long Cards, long Feedback);

/// <summary>
/// Reads and writes the ledger's rows: issued cards with their rules and suggestions, feedback, the snooze lookup and
/// retention. Every method opens its own connection (pooled), so the store is safe to share.
/// </summary>
public sealed class LedgerStore(LedgerDatabase database)
{
    public LedgerDatabase Database => database;

    /// <summary>
    /// Writes a batch in one transaction, in order. A card already stored and a feedback item already stored (same
    /// <see cref="ReceivedFeedback.ItemKey"/>) are skipped. Feedback for a card never issued is stored with card_known = 0;
    /// storing that card later sets it to 1.
    /// </summary>
    public async Task<IReadOnlyList<FeedbackWritten>> WriteAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancel)
    {
        var written = new List<FeedbackWritten>();
        var connection = await database.OpenAsync(cancel).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancel).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var commands = new BatchCommands(connection, transaction);
                await using var disposeCommands = commands.ConfigureAwait(false);
                foreach (var entry in entries)
                {
                    switch (entry)
                    {
                        case IssuedCard card:
                            await InsertCardAsync(commands, card, cancel).ConfigureAwait(false);
                            break;
                        case ReceivedFeedback feedback:
                            written.Add(await InsertFeedbackAsync(commands, feedback, cancel).ConfigureAwait(false));
                            break;
                        default:
                            throw new ArgumentException($"unknown ledger entry {entry.GetType().Name}", nameof(entries));
                    }
                }

                await transaction.CommitAsync(cancel).ConfigureAwait(false);
            }
        }

        return written;
    }

    /// <summary>
    /// Every active snooze, for every patient: each rule merged into a live card that was overridden at or after
    /// <paramref name="since"/>, per patient key, joint and side, with the latest override. Read from the feedback side
    /// (indexed by received_at), so its cost follows the overrides in the window, not the cards a patient has had.
    /// </summary>
    public async Task<IReadOnlyList<PatientSnooze>> ActiveSnoozesAsync(DateTimeOffset since, CancellationToken cancel)
    {
        const string Query = """
            SELECT c.patient_key, r.rule_id, c.joint, c.side, MAX(f.received_at)
            FROM feedback f
            JOIN issued_card c ON c.card_uuid = f.card_uuid
            JOIN card_rule r ON r.card_uuid = c.card_uuid
            WHERE f.outcome = 'overridden' AND f.received_at >= @since AND c.mode = 'live'
            GROUP BY c.patient_key, r.rule_id, c.joint, c.side
            """;
        var snoozes = new List<PatientSnooze>();
        var connection = await database.OpenAsync(cancel).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(Query).With("@since", since);
            await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            while (await reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                snoozes.Add(new PatientSnooze(
                    reader.GetString(0),
                    new Snooze(reader.GetString(1), reader.GetString(2), reader.GetString(3), Sql.Instant(reader.GetInt64(4)))));
            }
        }

        return snoozes;
    }

    /// <summary>Deletes cards issued, and feedback received, before <paramref name="cutoff"/>.</summary>
    public async Task<RetentionResult> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancel)
    {
        const string OldCards = "SELECT card_uuid FROM issued_card WHERE issued_at < @cutoff";
        var connection = await database.OpenAsync(cancel).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancel).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync($"DELETE FROM card_rule WHERE card_uuid IN ({OldCards})").ConfigureAwait(false);
                await ExecuteAsync($"DELETE FROM card_suggestion WHERE card_uuid IN ({OldCards})").ConfigureAwait(false);
                var cards = await ExecuteAsync("DELETE FROM issued_card WHERE issued_at < @cutoff").ConfigureAwait(false);
                var feedback = await ExecuteAsync("DELETE FROM feedback WHERE received_at < @cutoff").ConfigureAwait(false);
                await transaction.CommitAsync(cancel).ConfigureAwait(false);
                return new RetentionResult(cards, feedback);

                async Task<int> ExecuteAsync(string sql)
                {
                    await using var command = connection.Command(sql, transaction).With("@cutoff", cutoff);
                    return await command.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task InsertCardAsync(BatchCommands commands, IssuedCard card, CancellationToken cancel)
    {
        const string Insert = """
            INSERT INTO issued_card (card_uuid, mode, issued_at, service_id, hook, hook_instance, client, patient_key, rule_id,
                indicator, joint, side, order_codes)
            VALUES (@card, @mode, @issued_at, @service, @hook, @hook_instance, @client, @patient, @rule, @indicator, @joint, @side, @order_codes)
            ON CONFLICT (card_uuid) DO NOTHING
            """;
        var insert = commands.For(Insert)
            .With("@card", card.CardUuid)
            .With("@mode", LedgerCodes.Of(card.Mode))
            .With("@issued_at", card.IssuedAt)
            .With("@service", card.ServiceId)
            .With("@hook", card.Hook)
            .With("@hook_instance", card.HookInstance)
            .With("@client", card.Client)
            .With("@patient", card.PatientKey)
            .With("@rule", card.RuleId)
            .With("@indicator", card.Indicator)
            .With("@joint", card.Joint)
            .With("@side", card.Side)
            .With("@order_codes", Sql.JsonList(card.OrderCodes));
        if (await insert.ExecuteNonQueryAsync(cancel).ConfigureAwait(false) == 0)
        {
            return;
        }

        for (var position = 0; position < card.FiredRuleIds.Count; position++)
        {
            var rule = commands.For("INSERT INTO card_rule (card_uuid, position, rule_id) VALUES (@card, @position, @rule)")
                .With("@card", card.CardUuid)
                .With("@position", position)
                .With("@rule", card.FiredRuleIds[position]);
            await rule.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
        }

        for (var position = 0; position < card.Suggestions.Count; position++)
        {
            var suggestion = card.Suggestions[position];
            var insertSuggestion = commands.For(
                """
                INSERT INTO card_suggestion (suggestion_uuid, card_uuid, position, label, codes)
                VALUES (@suggestion, @card, @position, @label, @codes) ON CONFLICT (suggestion_uuid) DO NOTHING
                """)
                .With("@suggestion", suggestion.SuggestionUuid)
                .With("@card", card.CardUuid)
                .With("@position", position)
                .With("@label", suggestion.Label)
                .With("@codes", Sql.JsonList(suggestion.Codes));
            await insertSuggestion.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
        }

        // Feedback can reach another instance before this card is written: it was stored as "unknown card" until now.
        var known = commands.For("UPDATE feedback SET card_known = 1 WHERE card_uuid = @card AND card_known = 0")
            .With("@card", card.CardUuid);
        await known.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
    }

    private static async Task<FeedbackWritten> InsertFeedbackAsync(BatchCommands commands, ReceivedFeedback feedback, CancellationToken cancel)
    {
        var rule = commands.For("SELECT rule_id FROM issued_card WHERE card_uuid = @card").With("@card", feedback.CardUuid);
        var ruleId = await rule.ExecuteScalarAsync(cancel).ConfigureAwait(false) as string;

        const string Insert = """
            INSERT INTO feedback (item_key, card_uuid, service_id, client, outcome, accepted_suggestions, reason_system, reason_code,
                reason_display, user_comment, outcome_at, received_at, card_known)
            VALUES (@key, @card, @service, @client, @outcome, @accepted, @reason_system, @reason_code, @reason_display, @comment,
                @outcome_at, @received_at, @known)
            ON CONFLICT (item_key) DO NOTHING
            """;
        var insert = commands.For(Insert)
            .With("@key", feedback.ItemKey)
            .With("@card", feedback.CardUuid)
            .With("@service", feedback.ServiceId)
            .With("@client", feedback.Client)
            .With("@outcome", LedgerCodes.Of(feedback.Outcome))
            .With("@accepted", Sql.JsonList(feedback.AcceptedSuggestionIds))
            .With("@reason_system", feedback.ReasonSystem)
            .With("@reason_code", feedback.ReasonCode)
            .With("@reason_display", feedback.ReasonDisplay)
            .With("@comment", feedback.UserComment)
            .With("@outcome_at", feedback.OutcomeAt)
            .With("@received_at", feedback.ReceivedAt)
            .With("@known", ruleId is null ? 0 : 1);
        var stored = await insert.ExecuteNonQueryAsync(cancel).ConfigureAwait(false) == 1;
        return new FeedbackWritten(feedback, stored, ruleId);
    }

    /// <summary>
    /// The commands of one write batch, each made once and run once per row with new parameter values, so that SQLite
    /// compiles each statement once per batch instead of once per row.
    /// </summary>
    private sealed class BatchCommands(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

        public DbCommand For(string sql)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = connection.Command(sql, transaction);
                _commands.Add(sql, command);
            }

            return command;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _commands.Values)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
