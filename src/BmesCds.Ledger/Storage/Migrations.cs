namespace BmesCds.Ledger.Storage;

/// <summary>One step of the ledger schema: applied once, in order, inside one transaction with its version row.</summary>
internal sealed record Migration(int Version, string Description, IReadOnlyList<string> Statements);

/// <summary>
/// The ledger schema, version by version. Never edit a migration that has shipped: add the next one. The same SQL runs on
/// SQLite and PostgreSQL (TEXT, INTEGER, BIGINT; instants are Unix milliseconds; lists are JSON arrays as text).
/// </summary>
internal static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "issued cards, their rules and suggestions, feedback",
        [
            """
            CREATE TABLE issued_card (
                card_uuid TEXT PRIMARY KEY,
                mode TEXT NOT NULL,
                issued_at BIGINT NOT NULL,
                service_id TEXT NOT NULL,
                hook TEXT NOT NULL,
                hook_instance TEXT NOT NULL,
                client TEXT NOT NULL,
                patient_key TEXT NOT NULL,
                rule_id TEXT NOT NULL,
                indicator TEXT NOT NULL,
                joint TEXT NOT NULL,
                side TEXT NOT NULL,
                order_codes TEXT NOT NULL
            )
            """,
            "CREATE INDEX issued_card_issued_at ON issued_card (issued_at)",
            "CREATE INDEX issued_card_patient ON issued_card (patient_key, joint, side)",
            """
            CREATE TABLE card_rule (
                card_uuid TEXT NOT NULL,
                position INTEGER NOT NULL,
                rule_id TEXT NOT NULL,
                PRIMARY KEY (card_uuid, position)
            )
            """,
            """
            CREATE TABLE card_suggestion (
                suggestion_uuid TEXT PRIMARY KEY,
                card_uuid TEXT NOT NULL,
                position INTEGER NOT NULL,
                label TEXT NOT NULL,
                codes TEXT NOT NULL
            )
            """,
            "CREATE INDEX card_suggestion_card ON card_suggestion (card_uuid)",
            """
            CREATE TABLE feedback (
                item_key TEXT PRIMARY KEY,
                card_uuid TEXT NOT NULL,
                service_id TEXT NOT NULL,
                client TEXT NOT NULL,
                outcome TEXT NOT NULL,
                accepted_suggestions TEXT NOT NULL,
                reason_system TEXT,
                reason_code TEXT,
                reason_display TEXT,
                user_comment TEXT,
                outcome_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX feedback_card ON feedback (card_uuid)",
            "CREATE INDEX feedback_received_at ON feedback (received_at)",
        ]),
        new(2, "flag feedback whose card was never issued (stored, not lost)",
        [
            "ALTER TABLE feedback ADD COLUMN card_known INTEGER NOT NULL DEFAULT 0",
            "UPDATE feedback SET card_known = 1 WHERE EXISTS (SELECT 1 FROM issued_card c WHERE c.card_uuid = feedback.card_uuid)",
            "CREATE INDEX feedback_unknown_card ON feedback (card_known, received_at)",
        ]),
    ];

    public static int Latest => All[^1].Version;
}
