using BmesCds.Clinical.ReportText;

namespace BmesCds.Clinical.Tests.ReportText;

/// <summary>Sentence segmentation on its own (BMES-RULES.md 7a, C5); the clinical examples are in report-sentences.tsv.</summary>
public class SentenceSplitterTests
{
    [TestCase("No fracture. Normal joint.", new[] { "No fracture.", "Normal joint." })]
    [TestCase("No fracture! Normal joint? Yes.", new[] { "No fracture!", "Normal joint?", "Yes." })]
    [TestCase("Lesion 2.5 cm. 3 lesions in total.", new[] { "Lesion 2.5 cm.", "3 lesions in total." })]
    [TestCase("Scanned at 3.0 T. No AVN.", new[] { "Scanned at 3.0 T.", "No AVN." })]
    [TestCase("Marrow oedema, e.g. T2 bright. No AVN.", new[] { "Marrow oedema, e.g. T2 bright.", "No AVN." })]
    [TestCase("Marrow oedema, i.e. Transient osteoporosis.", new[] { "Marrow oedema, i.e. Transient osteoporosis." })]
    [TestCase("Approx. 20 mm. Vs. Prior.", new[] { "Approx. 20 mm.", "Vs. Prior." })]
    [TestCase("Discussed with Dr. Jones.", new[] { "Discussed with Dr. Jones." })]
    [TestCase("Image No. 12 shows it. No. The hip is normal.", new[] { "Image No. 12 shows it.", "No.", "The hip is normal." })]
    [TestCase("lower-case start. after a full stop stays.", new[] { "lower-case start. after a full stop stays." })]
    [TestCase("? AVN. Repeat.", new[] { "? AVN.", "Repeat." })]
    [TestCase("Is there AVN? No.", new[] { "Is there AVN?", "No." })]
    [TestCase("No AVN", new[] { "No AVN" })]
    public void Sentences_end_where_the_contract_says(string text, string[] expected) =>
        Assert.That(SentenceSplitter.Split(text), Is.EqualTo(expected));

    [Test]
    public void A_single_line_break_is_a_hard_wrap_and_a_blank_line_ends_a_sentence() =>
        Assert.That(SentenceSplitter.Split("Bone marrow oedema of the\r\nleft femoral head\r\n\r\nNo AVN"), Is.EqualTo(new[]
        {
            "Bone marrow oedema of the left femoral head", "No AVN",
        }));

    [Test]
    public void List_items_end_sentences_and_their_wrapped_lines_join_them() =>
        Assert.That(SentenceSplitter.Split("1. Marrow oedema of the\n   femoral head\n2) No AVN\n- Effusion\n* Normal labrum\n• No fracture\na) Stable"), Is.EqualTo(new[]
        {
            "Marrow oedema of the femoral head", "No AVN", "Effusion", "Normal labrum", "No fracture", "Stable",
        }));

    [Test]
    public void A_number_at_the_start_of_a_line_is_not_a_list_marker() =>
        Assert.That(SentenceSplitter.Split("Lesion of\n3.5 cm in the femoral head."), Is.EqualTo(new[] { "Lesion of 3.5 cm in the femoral head." }));

    [Test]
    public void Sections_that_only_ask_or_describe_are_dropped_and_their_headers_end_sentences()
    {
        const string Report = "EXAM: MRI LEFT HIP WITHOUT CONTRAST\nCLINICAL HISTORY: Hip pain. ?AVN\nTECHNIQUE: STIR, T1\n"
            + "FINDINGS: Diffuse marrow oedema\nIMPRESSION\nTransient osteoporosis";
        Assert.That(ReportTextReader.Sentences(Report), Is.EqualTo(new[] { "Diffuse marrow oedema", "Transient osteoporosis" }));
    }

    [Test]
    public void A_colon_inside_a_sentence_is_not_a_header() =>
        Assert.That(ReportTextReader.Sentences("AVN: none. Left hip: normal."), Is.EqualTo(new[] { "AVN: none.", "Left hip: normal." }));
}
