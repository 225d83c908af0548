namespace BmesCds.Ledger.Records;

/// <summary>
/// One card the service returned (or, in shadow mode, would have returned). Never the patient id: <paramref name="PatientKey"/>
/// is its keyed hash (<see cref="PatientKey"/>). Codes are "system|code".
/// </summary>
/// <param name="CardUuid">The card's `uuid` as returned.</param>
/// <param name="Mode">Live (returned) or shadow (recorded only).</param>
/// <param name="IssuedAt">When the service answered.</param>
/// <param name="ServiceId">The CDS service that answered, e.g. bmes-order-select.</param>
/// <param name="Hook">The hook, e.g. order-select.</param>
/// <param name="HookInstance">The call's `hookInstance`.</param>
/// <param name="PatientKey">HMAC-SHA256 of the patient id (see <see cref="PatientKey"/>).</param>
/// <param name="RuleId">The card's topic: the highest-priority rule that fired.</param>
/// <param name="FiredRuleIds">Every rule merged into the card, highest priority first (the first is RuleId).</param>
/// <param name="Indicator">info, warning or critical.</param>
/// <param name="Joint">hip, knee or ankle.</param>
/// <param name="Side">left, right, bilateral or unknown.</param>
/// <param name="OrderCodes">Codes of the judged order (order hooks); empty on patient-view.</param>
/// <param name="Client">The CDS client's JWT `iss`, or "anonymous" when authentication is off.</param>
/// <param name="Suggestions">The card's suggestions, in order.</param>
public sealed record IssuedCard(
    string CardUuid,
    CardMode Mode,
    DateTimeOffset IssuedAt,
    string ServiceId,
    string Hook,
    string HookInstance,
    string Client,
    string PatientKey,
    string RuleId,
    IReadOnlyList<string> FiredRuleIds,
    string Indicator,
    string Joint,
    string Side,
    IReadOnlyList<string> OrderCodes,
    IReadOnlyList<IssuedSuggestion> Suggestions) : LedgerEntry;

/// <summary>A suggestion of an issued card: its uuid, label and the codes of the resources it creates or updates.</summary>
public sealed record IssuedSuggestion(string SuggestionUuid, string Label, IReadOnlyList<string> Codes);
