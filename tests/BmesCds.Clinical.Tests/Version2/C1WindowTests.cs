using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Tests.Support;
using Hl7.Fhir.Model;
using static BmesCds.Clinical.Tests.Support.Make;

namespace BmesCds.Clinical.Tests.Version2;

/// <summary>
/// C1: windows are whole UTC calendar days from the event's date to the evaluation date (2026-11-28T12:00Z here):
/// "the last N days" includes the day exactly N days ago, whatever its time, and excludes N + 1; months are calendar
/// months; a date given only to the month or year counts at its earliest instant.
/// </summary>
public class C1WindowTests
{
    private static DiagnosticReport NormalLeftHipXrayOn(string effective) => new()
    {
        Id = "xr",
        Status = DiagnosticReport.DiagnosticReportStatus.Final,
        Code = new CodeableConcept(Loinc, "26131-3"),
        Effective = new FhirDateTime(effective),
        ConclusionCode = [new CodeableConcept(Snomed, "168661005")],
    };

    [TestCase("2026-08-30", true, TestName = "X-ray dated exactly 90 days ago (a date) counts")]
    [TestCase("2026-08-30T00:00:01Z", true, TestName = "X-ray early on the day 90 days ago counts")]
    [TestCase("2026-08-30T23:59:59Z", true, TestName = "X-ray late on the day 90 days ago counts")]
    [TestCase("2026-08-29T23:59:59Z", false, TestName = "X-ray 91 days ago does not count")]
    [TestCase("2026-08-30T01:00:00+02:00", false, TestName = "X-ray whose UTC date is 91 days ago does not count")]
    [TestCase("2026-08-29T23:00:00-05:00", true, TestName = "X-ray whose UTC date is 90 days ago counts")]
    [TestCase("2026-09", true, TestName = "X-ray dated 2026-09 counts from 2026-09-01")]
    [TestCase("2026-08", false, TestName = "X-ray dated 2026-08 counts from 2026-08-01, 119 days ago")]
    [TestCase("2026", false, TestName = "X-ray dated 2026 counts from 2026-01-01")]
    public void Xray_window_is_90_whole_utc_days(string effective, bool counts) =>
        Assert.That(FindingsOf.LeftHip(NormalLeftHipXrayOn(effective)).XrayNormal, Is.EqualTo(counts));

    [Test]
    public void Mri_exactly_42_days_ago_is_recent_and_43_days_ago_is_not()
    {
        Assert.That(FindingsOf.LeftHip(Report("36488-5", 42, "Normal MRI.")).MriRecent, Is.Not.Empty);
        Assert.That(FindingsOf.LeftHip(Report("36488-5", 43, "Normal MRI.")).MriRecent, Is.Empty);
    }

    [Test]
    public void Mri_result_window_is_12_weeks_of_7_days()
    {
        Assert.That(FindingsOf.LeftHip(Report("36488-5", 84, "Bone marrow edema pattern.")).MriResult, Is.EqualTo(MriFinding.BmePattern));
        Assert.That(FindingsOf.LeftHip(Report("36488-5", 85, "Bone marrow edema pattern.")).MriResult, Is.EqualTo(MriFinding.None));
    }

    [Test]
    public void Osteonecrosis_imaging_window_is_12_calendar_months()
    {
        DiagnosticReport Crescent(string date) => new()
        {
            Status = DiagnosticReport.DiagnosticReportStatus.Final,
            Code = new CodeableConcept(Loinc, "26131-3"),
            Effective = new FhirDateTime(date),
            Conclusion = "Crescent sign of the left femoral head.",
        };
        Assert.That(FindingsOf.LeftHip(Crescent("2025-11-28")).OsteonecrosisImaging, Is.Not.Empty);
        Assert.That(FindingsOf.LeftHip(Crescent("2025-11-27T23:59:59Z")).OsteonecrosisImaging, Is.Empty);
    }

    [Test]
    public void Labs_count_for_30_days_and_temperature_for_7_by_utc_date()
    {
        Assert.That(FindingsOf.LeftHip(Lab("1988-5", 40, "mg/L", 30)).Inflammation, Is.Not.Empty);
        Assert.That(FindingsOf.LeftHip(Lab("1988-5", 40, "mg/L", 31)).Inflammation, Is.Empty);
        var fever = Lab("8310-5", 38.5m, "Cel");
        fever.Effective = new FhirDateTime("2026-11-21T23:30:00-05:00"); // 2026-11-22 in UTC: 6 days ago
        Assert.That(FindingsOf.LeftHip(fever).Inflammation, Is.Not.Empty);
        fever.Effective = new FhirDateTime("2026-11-20T23:30:00+01:00"); // 2026-11-20 in UTC: 8 days ago
        Assert.That(FindingsOf.LeftHip(fever).Inflammation, Is.Empty);
    }

    [Test]
    public void Glucocorticoid_lookback_is_two_calendar_years()
    {
        MedicationStatement Prednisone(string date) => new()
        {
            Status = MedicationStatement.MedicationStatusCodes.Completed,
            Medication = new CodeableConcept("http://www.nlm.nih.gov/research/umls/rxnorm", "8640", "prednisone"),
            Effective = new FhirDateTime(date),
        };
        Assert.That(FindingsOf.LeftHip(Prednisone("2024-11-28")).OsteonecrosisRisk, Has.Count.EqualTo(1));
        Assert.That(FindingsOf.LeftHip(Prednisone("2024-11-27")).OsteonecrosisRisk, Is.Empty);
    }

    [Test]
    public void Window_arithmetic_counts_calendar_days_not_hours()
    {
        var now = new DateTimeOffset(2026, 11, 28, 0, 30, 0, TimeSpan.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(ClinicalWindow.DaysBefore(new DateTimeOffset(2026, 11, 27, 23, 45, 0, TimeSpan.Zero), now), Is.EqualTo(1));
            Assert.That(ClinicalWindow.InLastDays(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero), now, 7), Is.True, "a future date is recent");
            Assert.That(ClinicalWindow.AtLeastDaysBefore(new DateTimeOffset(2026, 11, 14, 23, 0, 0, TimeSpan.Zero), now, 14), Is.True);
            Assert.That(ClinicalWindow.AtLeastDaysBefore(new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero), now, 14), Is.False);
            Assert.That(ClinicalWindow.InLastMonths(new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 28, 9, 0, 0, TimeSpan.Zero), 1), Is.True);
            Assert.That(ClinicalWindow.InLastMonths(new DateTimeOffset(2026, 2, 27, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 28, 9, 0, 0, TimeSpan.Zero), 1), Is.False);
        });
    }

    [Test]
    public void Partial_dates_are_read_at_their_earliest_instant()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FhirFacts.ParseDate("2026-09"), Is.EqualTo(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(FhirFacts.ParseDate("2026"), Is.EqualTo(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(FhirFacts.ParseDate("2026-09-14"), Is.EqualTo(new DateTimeOffset(2026, 9, 14, 0, 0, 0, TimeSpan.Zero)));
        });
    }
}
