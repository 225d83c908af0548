using BmesCds.Clinical.ReportText;

namespace BmesCds.Clinical.Tests.Findings;

/// <summary>
/// The text reader's API around the sentence table (ReportText/report-sentences.tsv holds the clinical examples):
/// several texts of one report, the strongest statement winning, HTML reports.
/// </summary>
public class ReportTextReaderTests
{
    [Test]
    public void A_stated_finding_anywhere_in_the_report_outweighs_a_denied_one()
    {
        var reading = ReportTextReader.Read(["No AVN on the right.", "Avascular necrosis of the left femoral head."]);
        Assert.That(reading.Osteonecrosis, Is.EqualTo(Certainty.Definite));
    }

    [Test]
    public void Each_text_ends_its_own_sentences()
    {
        // Without a full stop the conclusion would run into the next text and its "no" would deny the oedema.
        var reading = ReportTextReader.Read(["No AVN", "Bone marrow oedema of the left femoral head"]);
        Assert.That((reading.Osteonecrosis, reading.MarrowEdema), Is.EqualTo((Certainty.Negated, Certainty.Definite)));
    }

    [Test]
    public void Empty_and_missing_text_says_nothing()
    {
        Assert.That(ReportTextReader.Read((string?)null), Is.EqualTo(ReportReading.Nothing));
        Assert.That(ReportTextReader.Read("   \n  "), Is.EqualTo(ReportReading.Nothing));
        Assert.That(ReportReading.Nothing.SaysAnything, Is.False);
    }

    [Test]
    public void Abnormal_is_not_read_as_normal() =>
        Assert.That(ReportTextReader.Read("Abnormal signal.").XrayNormal, Is.False);

    [Test]
    public void AVN_abbreviation_counts_and_avenue_does_not()
    {
        Assert.That(ReportTextReader.Read("Findings consistent with AVN").Osteonecrosis, Is.EqualTo(Certainty.Definite));
        Assert.That(ReportTextReader.Read("Patient lives on Avenue Road").Osteonecrosis, Is.EqualTo(Certainty.Absent));
    }

    [Test]
    public void Html_report_is_read_without_its_tags_and_with_its_paragraphs_and_list_items()
    {
        const string Html = "<html><head><style>p { color: red }</style></head><body>"
            + "<h2>Findings</h2><p>No subchondral fracture on the 3.0&nbsp;T images to suggest osteonecrosis</p>"
            + "<h2>Impression</h2><ul><li>Bone marrow oedema of the left femoral head</li><li>No AVN</li></ul></body></html>";
        var text = HtmlText.ToText(Html);
        var reading = ReportTextReader.Read(text);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("<").And.Not.Contain("color"));
            Assert.That(ReportTextReader.Sentences(text), Is.EqualTo(new[]
            {
                "No subchondral fracture on the 3.0 T images to suggest osteonecrosis", "Bone marrow oedema of the left femoral head", "No AVN",
            }));
            Assert.That(reading.OsteonecrosisFeatures, Is.False);
            Assert.That(reading.MriClass, Is.EqualTo("bme-pattern"));
        });
    }

    [Test]
    public void Reading_a_long_report_is_linear_enough_for_a_hook()
    {
        // 2000 hard-wrapped sentences without a single full stop still read: one sentence, denied throughout.
        var text = string.Join("\n", Enumerable.Repeat("no subchondral fracture, band or collapse to suggest osteonecrosis", 2000));
        Assert.That(ReportTextReader.Read(text).OsteonecrosisFeatures, Is.False);
    }
}
