namespace BmesCds.CdsHooks.Explanation;

/// <summary>
/// Why a hook call was answered as it was, for the people who integrate the service (the console at /console and
/// <c>bmes-cds evaluate --explain</c>): each judged order or joint with its findings and every rule's verdict, where each
/// prefetch key's data came from, and how long each step took. Built from the pipeline's values
/// (<see cref="HookExplainer"/>), never from the card text.
/// </summary>
/// <param name="Service">The CDS service id, e.g. <c>bmes-order-select</c>.</param>
/// <param name="Hook">The hook, e.g. <c>order-select</c>.</param>
/// <param name="HookInstance">The request's hookInstance, when the request got that far.</param>
/// <param name="EvaluatedAt">The clinical "now" the rules' windows count back from.</param>
/// <param name="Status">The HTTP status the service call answers (200, or the refusal's).</param>
/// <param name="Refusal">Why the call was refused; null when it was answered.</param>
/// <param name="Judgements">Each order (order hooks) or painful joint (patient-view) the engine looked at.</param>
/// <param name="Prefetch">Each prefetch key: supplied by the client, fetched from fhirServer, no data or failed.</param>
/// <param name="Tolerated">FHIR content the lenient reader dropped (location and code, never the value).</param>
/// <param name="Timings">The time of each step of the pipeline.</param>
public sealed record HookExplanation(
    string Service,
    string Hook,
    string? HookInstance,
    DateTimeOffset EvaluatedAt,
    int Status,
    ExplainedRefusal? Refusal,
    IReadOnlyList<ExplainedJudgement> Judgements,
    IReadOnlyList<ExplainedPrefetchKey> Prefetch,
    IReadOnlyList<ExplainedIssue> Tolerated,
    ExplainedTimings Timings);

/// <summary>A refused call: the field at fault (empty for the body as a whole) and what is wrong with it.</summary>
public sealed record ExplainedRefusal(string Field, string Message);

/// <summary>
/// One judged order or joint: what it is, whether it got a card (and which rules made it) or why it stayed silent, the
/// findings as the rules saw them, and every rule the service runs with its verdict.
/// </summary>
/// <param name="Subject">In words: "left hip", or the order and its class.</param>
/// <param name="Joint">hip, knee, ankle or none.</param>
/// <param name="Side">left, right, bilateral or unknown.</param>
/// <param name="Order">The judged order ("ServiceRequest/id") on order hooks.</param>
/// <param name="OrderClass">The order's classification, e.g. "CT, hip, left, contrast without".</param>
/// <param name="Outcome">"card" or "silent".</param>
/// <param name="CardRule">The rule whose card this is (the card's topic).</param>
/// <param name="MergedRules">Every rule merged into the card, highest priority first.</param>
/// <param name="Silence">Why there is no card.</param>
/// <param name="Findings">The findings that hold, each with its evidence.</param>
/// <param name="Rules">Every rule of the service, highest priority first, with why it fired, did not, or did not run.</param>
public sealed record ExplainedJudgement(
    string Subject,
    string Joint,
    string Side,
    string? Order,
    string? OrderClass,
    string Outcome,
    string? CardRule,
    IReadOnlyList<string> MergedRules,
    ExplainedSilence? Silence,
    IReadOnlyList<ExplainedFinding> Findings,
    IReadOnlyList<ExplainedRule> Rules);

/// <summary>A silence: its stable code (as in the metrics, e.g. <c>first-xray</c>) and the sentence.</summary>
public sealed record ExplainedSilence(string Code, string Why);

/// <summary>A finding of the clinical specification (PAIN, XR_NORMAL, ON_RISK, ...) with the records that show it.</summary>
public sealed record ExplainedFinding(string Name, IReadOnlyList<string> Evidence);

/// <summary>
/// One rule's turn: <c>fired</c>, <c>did-not-fire</c> or <c>not-run</c>, and why (what the rule concluded, what it
/// needs, or what stopped it); <paramref name="FiresWhen"/> is the rule's condition, as in the README rule table.
/// </summary>
public sealed record ExplainedRule(string Id, int Priority, string Outcome, string Why, string FiresWhen);

/// <summary>
/// One prefetch key: <c>supplied</c> (prefetched whole), <c>fetched</c> (read from fhirServer), <c>none</c> (no data),
/// <c>failed</c> or <c>not-fetched</c> (offline evaluation), with how many resources it gave.
/// </summary>
public sealed record ExplainedPrefetchKey(string Key, string Source, int Resources, string? Detail, ExplainedFetch? Fetch);

/// <summary>A fetch from fhirServer: its outcome, last HTTP status, pages read and time.</summary>
public sealed record ExplainedFetch(string Outcome, int? HttpStatus, int Pages, double Milliseconds);

/// <summary>A FHIR read issue tolerated by the lenient reader: where, and its code.</summary>
public sealed record ExplainedIssue(string Location, string Code);

/// <summary>Milliseconds of each pipeline step: parse the request, get the record, run the rules, write the cards.</summary>
public sealed record ExplainedTimings(double Parse, double Record, double Evaluate, double Cards, double Total);
