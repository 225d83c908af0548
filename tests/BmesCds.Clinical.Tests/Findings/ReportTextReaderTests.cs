using BmesCds.Clinical.Findings;

namespace BmesCds.Clinical.Tests.Findings;

/// <summary>Report text, sentence by sentence, with NegEx-style negation (section 4).</summary>
public class ReportTextReaderTests
{
    [Test]
    public void No_subchondral_collapse_or_double_line_sign_has_no_osteonecrosis_features()
    {
        var reading = ReportTextReader.Read("No subchondral collapse or double line sign.");
        Assert.That(reading.OsteonecrosisFeatures, Is.False);
    }

    [Test]
    public void Marrow_edema_followed_by_negated_fracture_is_a_marrow_edema_pattern()
    {
        var reading = ReportTextReader.Read("Diffuse bone marrow edema of the femoral head and neck, no band, no subchondral fracture.");
        Assert.Multiple(() =>
        {
            Assert.That(reading.MarrowEdema, Is.True);
            Assert.That(reading.OsteonecrosisFeatures, Is.False);
        });
    }

    [Test]
    public void Osteonecrosis_words_win_over_marrow_edema()
    {
        var reading = ReportTextReader.Read("Bone marrow oedema of the femoral head with a subchondral band-like lesion. Double-line sign on T2.");
        Assert.Multiple(() =>
        {
            Assert.That(reading.MarrowEdema, Is.True);
            Assert.That(reading.OsteonecrosisWords, Is.True);
        });
    }

    [Test]
    public void Negation_in_one_sentence_does_not_reach_the_next()
    {
        var reading = ReportTextReader.Read("No effusion. Avascular necrosis of the left femoral head.");
        Assert.That(reading.OsteonecrosisWords, Is.True);
    }

    [TestCase("Normal left hip.", true, false)]
    [TestCase("Unremarkable radiographs of the knee", true, false)]
    [TestCase("No acute fracture or dislocation", true, false)]
    [TestCase("Not normal. Joint space narrowing.", false, true)]
    [TestCase("Mild osteoarthritis of the hip", false, true)]
    [TestCase("Crescent sign right femoral head", false, true)]
    [TestCase("Flattening of the femoral head", false, true)]
    [TestCase("Negative for fracture. Otherwise normal.", true, false)]
    [TestCase("Absence of collapse. Free of fracture.", false, false)]
    [TestCase("", false, false)]
    public void Xray_report_text_reads_as_normal_or_abnormal(string text, bool normal, bool abnormal)
    {
        var reading = ReportTextReader.Read(text);
        Assert.That((reading.Normal, reading.Abnormal), Is.EqualTo((normal, abnormal)));
    }

    [Test]
    public void Flattening_counts_for_osteonecrosis_imaging_but_not_as_an_osteonecrosis_word()
    {
        var reading = ReportTextReader.Read("Subtle flattening of the femoral head.");
        Assert.That((reading.OsteonecrosisFeatures, reading.OsteonecrosisWords), Is.EqualTo((true, false)));
    }

    [Test]
    public void Abnormal_is_not_read_as_normal() =>
        Assert.That(ReportTextReader.Read("Abnormal signal.").Normal, Is.False);

    [Test]
    public void AVN_abbreviation_counts_and_avenue_does_not()
    {
        Assert.That(ReportTextReader.Read("Findings consistent with AVN").OsteonecrosisWords, Is.True);
        Assert.That(ReportTextReader.Read("Patient lives on Avenue Road").OsteonecrosisWords, Is.False);
    }
}
