using System.Security.Cryptography;
using BmesCds.Ledger.Records;

namespace BmesCds.Ledger.Tests;

public sealed class RecordTests
{
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);

    [Test]
    public void The_patient_key_is_stable_for_one_secret_and_differs_between_patients_and_secrets()
    {
        var keys = new PatientKey(Secret);

        Assert.That(keys.Of("c1"), Is.EqualTo(new PatientKey(Secret).Of("c1")));
        Assert.That(keys.Of("c1"), Is.Not.EqualTo(keys.Of("c2")));
        Assert.That(keys.Of("c1"), Is.Not.EqualTo(new PatientKey(RandomNumberGenerator.GetBytes(32)).Of("c1")));
        Assert.That(keys.Of("patient-123"), Does.Not.Contain("123").And.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public void A_patient_key_secret_shorter_than_32_bytes_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _ = new PatientKey(new byte[31]));
    }

    [Test]
    public void The_feedback_key_ignores_the_order_of_accepted_suggestions_but_not_the_content()
    {
        var at = DateTimeOffset.Parse("2026-11-28T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var key = ReceivedFeedback.KeyOf("c1", RecordedOutcome.Accepted, ["s1", "s2"], null, null, null, at);

        Assert.That(ReceivedFeedback.KeyOf("c1", RecordedOutcome.Accepted, ["s2", "s1"], null, null, null, at), Is.EqualTo(key));
        Assert.That(ReceivedFeedback.KeyOf("c1", RecordedOutcome.Accepted, ["s1"], null, null, null, at), Is.Not.EqualTo(key));
        Assert.That(ReceivedFeedback.KeyOf("c1", RecordedOutcome.Accepted, ["s1", "s2"], null, null, null, at.AddSeconds(1)), Is.Not.EqualTo(key));
        Assert.That(
            ReceivedFeedback.KeyOf("c1", RecordedOutcome.Overridden, [], "s", "a", "bc", at),
            Is.Not.EqualTo(ReceivedFeedback.KeyOf("c1", RecordedOutcome.Overridden, [], "s", "ab", "c", at)),
            "fields cannot run into each other");
    }

    [TestCase("Host=db.example.org;Database=ledger;Username=bmes", true)]
    [TestCase("host=127.0.0.1;port=5432", true)]
    [TestCase("data/bmes-cds.db", false)]
    [TestCase("/var/lib/bmes/ledger.db", false)]
    public void The_store_argument_is_a_connection_string_when_it_names_a_host(string location, bool connectionString)
    {
        Assert.That(Storage.LedgerDatabase.LooksLikeConnectionString(location), Is.EqualTo(connectionString));
    }
}
