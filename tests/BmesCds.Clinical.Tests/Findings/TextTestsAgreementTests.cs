using System.Text;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Records;
using BmesCds.Clinical.Terminology;
using BmesCds.Clinical.Tests.Support;

namespace BmesCds.Clinical.Tests.Findings;

/// <summary>
/// The text questions that decide relevance answer by a vectorised search first (NamesModality turns away ASCII texts
/// without a modality word anywhere; NamesIngredient searches all ingredient names at once): over many generated texts,
/// in any case, with punctuation, near misses and non-ASCII letters that lower or fold into ASCII ones, each answer is
/// the one of the plain reading (word by word for modality, one case-insensitive Contains per name for ingredients).
/// </summary>
public class TextTestsAgreementTests
{
    private static readonly string[] Words =
    [
        "mr", "mri", "MRI", "magnetic", "mrt", "ct", "CT", "computed", "cat", "xr", "XR", "xray", "x", "X", "ray", "Ray",
        "radiograph", "radiographs", "radiography", "radiographic", "radiologic", "nm", "scintigraphy", "spect", "scintigram",
        "bone", "scan", "us", "US", "ultrasound", "sonography", "ultrasonography", "view", "views", "VIEWS", "hip", "left",
        "without", "contrast", "panel", "Serum", "metabolic", "bus", "music", "mrx", "mris", "overview", "xrays", "catheter",
        "prednisone", "PredniSONE", "methylprednisolone", "dexamethasone", "hydrocortisone", "ibuprofen", "metformin",
        "pred", "sone", "prednisolone", "tablet", "mg", "20", "w/o", "M\u212Ai", "\u212Aetorolac", "predni\u017Fone",
        "\u0130ST", "MR\u0130", "magnet\u0130c", "\u0130mag\u0130ng", "m\u0131", "\u00e9tude", "IRM", new string('q', 30), "supercalifragilisticexpialidocious",
    ];

    private static readonly string[] Separators = [" ", "  ", ", ", "-", "/", " | ", ".", "(", ")", "\t", string.Empty];

    [Test]
    public void NamesModality_agrees_with_its_word_by_word_reading_on_generated_texts()
    {
        var random = new Random(7);
        var named = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = Text(random);
            var expected = ImagingTextParser.NamesModalityWordByWord(text);
            Assert.That(ImagingTextParser.NamesModality(text), Is.EqualTo(expected), text);
            named += expected ? 1 : 0;
        }

        Assert.That(named, Is.InRange(2_000, 18_000), "the texts must name a modality often, and often not");
    }

    [Test]
    public void NamesModality_agrees_with_the_parser_on_generated_texts()
    {
        // The relevance question must keep every resource whose text the parser reads a modality from, and no other.
        var random = new Random(13);
        for (var i = 0; i < 20_000; i++)
        {
            var text = Text(random);
            Assert.That(ImagingTextParser.NamesModality(text), Is.EqualTo(ImagingTextParser.Parse(text).Modality is not null), text);
        }
    }

    [Test]
    public void NamesIngredient_agrees_with_a_search_for_each_name_on_generated_texts()
    {
        var matcher = new GlucocorticoidMatcher(Fixtures.Terminology);
        var names = Fixtures.Terminology[BmesCanonicals.SystemicGlucocorticoids].Concepts
            .Where(concept => concept.Key.System.Contains("rxnorm", StringComparison.Ordinal))
            .Select(concept => concept.Display.ToLowerInvariant())
            .ToList();
        Assume.That(names, Is.Not.Empty);
        var random = new Random(11);
        var named = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = Text(random);
            var expected = names.Any(name => text.Contains(name, StringComparison.OrdinalIgnoreCase));
            Assert.That(matcher.NamesIngredient(text), Is.EqualTo(expected), text);
            named += expected ? 1 : 0;
        }

        Assert.That(named, Is.InRange(1_000, 19_000), "the texts must name an ingredient often, and often not");
    }

    private static string Text(Random random)
    {
        var text = new StringBuilder();
        for (var words = random.Next(1, 6); words > 0; words--)
        {
            text.Append(Separators[random.Next(Separators.Length)]).Append(Words[random.Next(Words.Length)]);
        }

        return text.ToString();
    }
}
