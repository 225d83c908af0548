using BmesCds.Clinical.ReportText;

namespace BmesCds.Clinical.Tests;

/// <summary>The bounded memo of text readings: the same answer as reading, a bound on what it keeps.</summary>
public sealed class TextMemoTests
{
    [Test]
    public void A_text_is_read_once_while_it_is_remembered()
    {
        var reads = 0;
        var memo = new TextMemo<int>(text => { reads++; return text.Length; });

        Assert.That((memo.Get("CT hip"), memo.Get("CT hip"), memo.Get("MRI knee")), Is.EqualTo((6, 6, 8)));
        Assert.That(reads, Is.EqualTo(2));
    }

    [Test]
    public void When_full_it_starts_again_and_still_answers_every_text()
    {
        var reads = 0;
        var memo = new TextMemo<string>(text => { reads++; return text.ToUpperInvariant(); }, capacity: 3);

        var answers = Enumerable.Range(0, 10).Select(i => memo.Get($"text {i}")).ToList();
        var again = memo.Get("text 9");

        Assert.That(answers, Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"TEXT {i}")));
        Assert.That(again, Is.EqualTo("TEXT 9"));
        Assert.That(reads, Is.EqualTo(10), "each text read once; text 9 was kept in the fresh memo");
    }

    [Test]
    public void A_text_longer_than_the_bound_is_read_every_time()
    {
        var reads = 0;
        var memo = new TextMemo<int>(text => ++reads, maxTextLength: 10);

        memo.Get(new string('x', 11));
        memo.Get(new string('x', 11));

        Assert.That(reads, Is.EqualTo(2));
    }

    [Test]
    public void Texts_read_one_by_one_read_as_the_same_texts_read_together()
    {
        string[] texts = ["Findings: no fracture. Subchondral lucency, cannot exclude avascular necrosis.", "Impression: marrow edema of the femoral head."];

        var together = ReportTextReader.Read(texts);
        var oneByOne = ReportTextReader.Read(texts[0]).With(ReportTextReader.Read(texts[1]));

        Assert.That(oneByOne, Is.EqualTo(together));
        Assert.That(together.OsteonecrosisFeatures, Is.True);
    }
}
