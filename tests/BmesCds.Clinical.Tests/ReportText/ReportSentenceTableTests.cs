using BmesCds.Clinical.ReportText;
using BmesCds.Clinical.Tests.Support;

namespace BmesCds.Clinical.Tests.ReportText;

/// <summary>
/// The report-sentence table (report-sentences.tsv, next to this file): each row is a piece of radiology report text
/// with the reading a clinician expects - sentences, ON on imaging, MRI result class, X-ray result. One test per row,
/// through the real text reader (BMES-RULES.md 7a, C4 and C5).
/// </summary>
public class ReportSentenceTableTests
{
    private static readonly string TablePath = Path.Combine(Fixtures.RepoRoot, "tests", "BmesCds.Clinical.Tests", "ReportText", "report-sentences.tsv");

    public sealed record Row(string Id, string Text, int Sentences, bool OnImaging, string MriResult, string XrayResult, string Why)
    {
        public override string ToString() => Id;
    }

    public static IEnumerable<TestCaseData> Rows() =>
        ReadTable().Select(row => new TestCaseData(row).SetName($"Report_text_reads_as_the_table_says({row.Id})"));

    [TestCaseSource(nameof(Rows))]
    public void Report_text_reads_as_the_table_says(Row row)
    {
        var sentences = ReportTextReader.Sentences(row.Text);
        var reading = ReportTextReader.Read(row.Text);
        var context = $"{row.Id}: {row.Why}\ntext: {row.Text}\nsentences: [{string.Join("] [", sentences)}]\nreading: {reading}";
        Assert.Multiple(() =>
        {
            Assert.That(sentences, Has.Count.EqualTo(row.Sentences), context);
            Assert.That(reading.OsteonecrosisFeatures, Is.EqualTo(row.OnImaging), context);
            Assert.That(reading.MriClass, Is.EqualTo(row.MriResult), context);
            Assert.That(reading.XrayClass, Is.EqualTo(row.XrayResult), context);
        });
    }

    [Test]
    public void The_table_has_at_least_60_distinct_examples_and_covers_every_reading()
    {
        var rows = ReadTable();
        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Count.GreaterThanOrEqualTo(60));
            Assert.That(rows.Select(row => row.Id).Distinct().Count(), Is.EqualTo(rows.Count), "ids must be unique");
            Assert.That(rows.Select(row => row.MriResult).Distinct(), Is.EquivalentTo(new[] { "osteonecrosis-features", "bme-pattern", "equivocal", "other" }));
            Assert.That(rows.Select(row => row.XrayResult).Distinct(), Is.EquivalentTo(new[] { "normal", "abnormal", "none" }));
            Assert.That(rows.Count(row => !row.OnImaging && row.Text.Contains("osteonecrosis", StringComparison.OrdinalIgnoreCase)), Is.GreaterThanOrEqualTo(10),
                "denied osteonecrosis (the worst false positive) needs many examples");
        });
    }

    private static List<Row> ReadTable()
    {
        var rows = new List<Row>();
        var header = true;
        foreach (var line in File.ReadLines(TablePath))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (header)
            {
                header = false;
                continue;
            }

            var cells = line.Split('\t');
            Assert.That(cells, Has.Length.EqualTo(7), $"a row needs 7 tab-separated cells: {line}");
            rows.Add(new Row(
                cells[0],
                cells[1].Replace("\\n", "\n", StringComparison.Ordinal),
                int.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture),
                cells[3] switch
                {
                    "yes" => true,
                    "no" => false,
                    var other => throw new FormatException($"{cells[0]}: on_imaging must be yes or no, not '{other}'"),
                },
                cells[4],
                cells[5],
                cells[6]));
        }

        return rows;
    }
}
