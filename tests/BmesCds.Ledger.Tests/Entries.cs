using BmesCds.Ledger.Records;

namespace BmesCds.Ledger.Tests;

/// <summary>Ledger rows for tests, with plausible defaults.</summary>
public static class Entries
{
    public static readonly DateTimeOffset Day0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static IssuedCard Card(
        string uuid,
        DateTimeOffset? issuedAt = null,
        string rule = "replace-with-mri",
        string[]? fired = null,
        string service = "bmes-order-select",
        CardMode mode = CardMode.Live,
        string patientKey = "patient-a",
        string joint = "hip",
        string side = "left") =>
        new(
            uuid,
            mode,
            issuedAt ?? Day0,
            service,
            service == "bmes-patient-view" ? "patient-view" : "order-select",
            Guid.NewGuid().ToString(),
            "https://ehr.example.com",
            patientKey,
            rule,
            fired ?? [rule],
            "warning",
            joint,
            side,
            ["http://loinc.org|36487-7"],
            [new IssuedSuggestion(uuid + "-s1", "Order MRI of the left hip without contrast instead", ["http://loinc.org|36488-5", "http://www.ama-assn.org/go/cpt|73721"])]);

    public static ReceivedFeedback Accepted(string card, DateTimeOffset receivedAt, string service = "bmes-order-select") =>
        Feedback(card, RecordedOutcome.Accepted, receivedAt, service, [card + "-s1"], null, null);

    public static ReceivedFeedback Overridden(string card, DateTimeOffset receivedAt, string? reason = "mri-unavailable", string? comment = null, string service = "bmes-order-select") =>
        Feedback(card, RecordedOutcome.Overridden, receivedAt, service, [], reason, comment);

    private static ReceivedFeedback Feedback(
        string card, RecordedOutcome outcome, DateTimeOffset receivedAt, string service, string[] accepted, string? reason, string? comment)
    {
        const string System = "https://bmes-cds.org/fhir/CodeSystem/bmes-override-reason";
        var reasonSystem = reason is null ? null : System;
        return new ReceivedFeedback(
            ReceivedFeedback.KeyOf(card, outcome, accepted, reasonSystem, reason, comment, receivedAt),
            card,
            service,
            "https://ehr.example.com",
            outcome,
            accepted,
            reasonSystem,
            reason,
            reason is null ? null : $"display of {reason}",
            comment,
            receivedAt,
            receivedAt);
    }
}
