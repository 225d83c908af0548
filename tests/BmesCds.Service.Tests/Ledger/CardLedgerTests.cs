using System.Net;
using static BmesCds.Service.Tests.Ledger.ClinicalRequests;

namespace BmesCds.Service.Tests.Ledger;

/// <summary>
/// The card ledger through the real host, on SQLite and on a real PostgreSQL server: cards recorded, feedback recorded,
/// the report, snooze (with a clock the test moves), shadow mode and switched-off rules.
/// </summary>
[TestFixture("Sqlite")]
[TestFixture("PostgreSql")]
public sealed class CardLedgerTests(string store)
{
    private async Task<LedgerHost> HostAsync(Dictionary<string, string?>? settings = null) =>
        new(store == "PostgreSql" ? await SharedPostgres.NewDatabaseAsync() : null, settings);

    [Test]
    public async Task A_card_issued_then_accepted_is_counted_by_the_report()
    {
        using var host = await HostAsync();

        var card = (await host.HookAsync(C1())).Single();
        host.Clock.Advance(TimeSpan.FromSeconds(45));
        await host.AcceptAsync(OrderSelect, card);
        await host.DrainAsync();
        var report = await host.ReportAsync();

        var rule = report.ByRule.Single();
        Assert.That(rule.Key, Is.EqualTo("replace-with-mri"));
        Assert.That((rule.IssuedLive, rule.IssuedShadow, rule.Accepted, rule.Overridden, rule.NoFeedback), Is.EqualTo((1L, 0L, 1L, 0L, 0L)));
        Assert.That(rule.AcceptanceRate, Is.EqualTo(1.0));
        Assert.That(rule.MedianSecondsToFeedback, Is.EqualTo(45.0));
        Assert.That(report.ByService.Single().Key, Is.EqualTo(OrderSelect));
        Assert.That(await host.CountAsync($"SELECT COUNT(*) FROM card_suggestion WHERE card_uuid = '{card.GetProperty("uuid").GetString()}'"), Is.EqualTo(1));
    }

    [Test]
    public async Task An_overridden_card_is_snoozed_for_that_patient_and_hip_only_and_comes_back_after_the_window()
    {
        using var host = await HostAsync();
        var cards = await host.HookAsync(C1BothHips());
        Assert.That(cards.Select(card => card.Topic()), Is.EqualTo(new[] { "replace-with-mri", "replace-with-mri" }));
        var left = cards.Single(card => card.GetProperty("summary").GetString()!.Contains("left", StringComparison.Ordinal));

        await host.OverrideAsync(OrderSelect, left);
        await host.DrainAsync();
        host.Clock.Advance(TimeSpan.FromDays(29));
        var samePatient = await host.HookAsync(C1BothHips());
        var otherPatient = await host.HookAsync(C1BothHips().AsPatient("c1-neighbour"));
        host.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var afterWindow = await host.HookAsync(C1BothHips());

        Assert.That(samePatient.Select(card => card.GetProperty("summary").GetString()), Has.All.Contains("right"), "left hip snoozed, right hip not");
        Assert.That(samePatient, Has.Count.EqualTo(1));
        Assert.That(otherPatient, Has.Count.EqualTo(2), "another patient is not snoozed");
        Assert.That(afterWindow, Has.Count.EqualTo(2), "the card comes back after Ledger:SnoozeDays");
        Assert.That(host.Factory.Logs.Lines, Has.Some.Match("^Information .*card replace-with-mri for the left hip snoozed"));
    }

    [Test]
    public async Task A_higher_priority_rule_firing_for_the_snoozed_joint_is_shown()
    {
        using var host = await HostAsync();
        await host.OverrideAsync(OrderSelect, (await host.HookAsync(C1())).Single());
        await host.DrainAsync();

        var snoozed = await host.HookAsync(C1());
        var withRiskFactor = await host.HookAsync(C1WithLupus());

        Assert.That(snoozed, Is.Empty);
        Assert.That(withRiskFactor.Single().Topic(), Is.EqualTo("osteonecrosis-risk"));
    }

    [Test]
    public async Task Patient_view_honours_the_snooze()
    {
        using var host = await HostAsync();
        var card = (await host.HookAsync(X15())).Single();
        Assert.That(card.Topic(), Is.EqualTo("mri-recommended"));

        await host.OverrideAsync(PatientView, card, "patient-declined");
        await host.DrainAsync();

        Assert.That(await host.HookAsync(X15()), Is.Empty);
    }

    [Test]
    public async Task Feedback_for_a_card_never_issued_is_stored_and_flagged()
    {
        using var host = await HostAsync();

        var response = await host.FeedbackAsync(OrderSelect, Feedback.Overridden(Guid.NewGuid().ToString()));
        await host.DrainAsync();
        var report = await host.ReportAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM feedback WHERE card_known = 0"), Is.EqualTo(1));
        Assert.That(report.Total.FeedbackForUnknownCards, Is.EqualTo(1));
        Assert.That(report.ByService.Single(line => line.Key == OrderSelect).FeedbackForUnknownCards, Is.EqualTo(1));
    }

    [Test]
    public async Task The_same_feedback_posted_twice_is_stored_once()
    {
        using var host = await HostAsync();
        using var metrics = new Infrastructure.MetricsCollector(host.Factory.Services);
        var card = (await host.HookAsync(C1())).Single();

        await host.OverrideAsync(OrderSelect, card);
        await host.OverrideAsync(OrderSelect, card);
        await host.DrainAsync();

        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM feedback"), Is.EqualTo(1));
        Assert.That(metrics.Sum("bmes_cds.feedback"), Is.EqualTo(1), "a duplicate is not counted");
        Assert.That((await host.ReportAsync()).Total.Overridden, Is.EqualTo(1));
    }

    [Test]
    public async Task Two_hundred_concurrent_feedback_posts_are_all_stored()
    {
        using var host = await HostAsync();
        using var metrics = new Infrastructure.MetricsCollector(host.Factory.Services);
        var card = (await host.HookAsync(C1())).Single().GetProperty("uuid").GetString()!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            host.FeedbackAsync(OrderSelect, Feedback.Overridden(card, at: $"2026-11-28T12:01:{i / 10:00}.{i % 10}00Z"))));
        await host.DrainAsync();

        Assert.That(responses.Select(response => response.StatusCode), Has.All.EqualTo(HttpStatusCode.OK));
        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM feedback"), Is.EqualTo(200));
        Assert.That(metrics.Sum("bmes_cds.feedback", ("rule", "replace-with-mri"), ("outcome", "overridden"), ("reason", "mri-unavailable")), Is.EqualTo(200));
        Assert.That(metrics.Sum("bmes_cds.ledger.dropped_writes"), Is.Zero);
    }

    [Test]
    public async Task Shadow_mode_answers_no_cards_while_the_report_counts_the_would_be_cards()
    {
        using var host = await HostAsync(new() { ["Cards:Mode"] = "Shadow" });

        using var response = await host.Client.PostAsync($"/cds-services/{OrderSelect}", Infrastructure.Json.Body(C1()));
        var body = await response.Content.ReadAsStringAsync();
        await host.DrainAsync();
        var report = await host.ReportAsync();

        Assert.That(body, Is.EqualTo("""{"cards":[]}"""));
        Assert.That((report.Total.IssuedShadow, report.Total.IssuedLive, report.Total.NoFeedback), Is.EqualTo((1L, 0L, 0L)));
        Assert.That(report.ByRule.Single().Key, Is.EqualTo("replace-with-mri"));
        Assert.That(host.Factory.Logs.Lines, Has.Some.Contains("in shadow mode: 1 cards recorded, none returned"));
    }

    [Test]
    public async Task Shadow_mode_of_one_service_leaves_the_others_live()
    {
        using var host = await HostAsync(new() { [$"Cards:Services:{OrderSelect}:Mode"] = "Shadow" });

        var orderSelect = await host.HookAsync(C1());
        var patientView = await host.HookAsync(X15());
        await host.DrainAsync();
        var report = await host.ReportAsync();

        Assert.That(orderSelect, Is.Empty);
        Assert.That(patientView, Has.Count.EqualTo(1));
        Assert.That(report.ByService.Single(line => line.Key == OrderSelect).IssuedShadow, Is.EqualTo(1));
        Assert.That(report.ByService.Single(line => line.Key == PatientView).IssuedLive, Is.EqualTo(1));
    }

    [Test]
    public async Task A_rule_switched_off_is_neither_shown_nor_recorded()
    {
        using var host = await HostAsync(new() { ["Rules:Disabled:0"] = "replace-with-mri" });

        var cards = await host.HookAsync(C1());
        await host.DrainAsync();

        Assert.That(cards, Is.Empty);
        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM issued_card"), Is.Zero);
    }

    [Test]
    public async Task An_issued_card_is_recorded_with_its_call_subject_and_codes_and_a_patient_key_instead_of_the_id()
    {
        using var host = await HostAsync();

        var card = (await host.HookAsync(C1())).Single();
        await host.DrainAsync();

        var uuid = card.GetProperty("uuid").GetString();
        var where = $"FROM issued_card WHERE card_uuid = '{uuid}' AND mode = 'live' AND service_id = '{OrderSelect}' AND hook = 'order-select' "
            + "AND hook_instance = 'f99d26d0-9a71-5400-a9a5-1b491b10757c' AND client = 'anonymous' AND rule_id = 'replace-with-mri' "
            + "AND indicator = 'warning' AND joint = 'hip' AND side = 'left' AND order_codes = '[\"http://loinc.org|36487-7\"]'";
        Assert.That(await host.CountAsync("SELECT COUNT(*) " + where), Is.EqualTo(1));
        var expectedKey = new BmesCds.Ledger.Records.PatientKey(System.Text.Encoding.UTF8.GetBytes(Infrastructure.BmesCdsFactory.TestPatientKeySecret)).Of("c1");
        Assert.That(await host.CountAsync($"SELECT COUNT(*) FROM issued_card WHERE patient_key = '{expectedKey}'"), Is.EqualTo(1));
        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM card_suggestion WHERE codes LIKE '%http://loinc.org|36488-5%'"), Is.EqualTo(1));
    }
}
