using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace BmesCds.Clinical.Imaging;

/// <summary>
/// What the free text of an order or study says ("MR HIP LT WO", "MRI left hip without contrast"); null parts are not
/// said. Pelvis: the text names the pelvis (hip when ordered for hip pain). OtherAnatomy: a body part the rules do not judge.
/// </summary>
public sealed record ImagingText(Modality? Modality, Joint? Joint, Side? Side, Contrast? Contrast, bool Pelvis, bool OtherAnatomy)
{
    public static ImagingText Empty { get; } = new(null, null, null, null, false, false);
}

/// <summary>
/// Reads the modality, joint, side and contrast of an imaging order from its text or display, in the abbreviations
/// radiology order catalogues use (MR/MRI, XR/X-ray, LT/RT/BILAT, WO/W/WO+W) and in plain words.
/// </summary>
public static class ImagingTextParser
{
    private static readonly HashSet<string> ContrastWords = new(StringComparer.Ordinal) { "contrast", "iv", "gad", "gadolinium" };

    private static readonly HashSet<string> OtherAnatomyWords = new(StringComparer.Ordinal)
    {
        "spine", "lumbar", "thoracic", "cervical", "head", "brain", "chest", "abdomen", "shoulder", "elbow", "wrist",
        "hand", "finger", "foot", "toe", "neck", "sacrum", "sacroiliac", "spinal", "humerus", "forearm", "breast",
    };

    private const int LongestWord = 24;

    /// <summary>
    /// Whether the text names an imaging modality, exactly when <see cref="Parse"/> would find one; without allocating,
    /// for deciding whether a resource is worth reading at all.
    /// </summary>
    public static bool NamesModality(ReadOnlySpan<char> text)
    {
        // Lowered word by word below, a non-ASCII letter can become an ASCII one (the Kelvin sign becomes k): only an
        // ASCII text may be turned away by the search.
        return (!Ascii.IsValid(text) || text.ContainsAny(ModalityWordsAnywhere)) && NamesModalityWordByWord(text);
    }

    /// <summary><see cref="NamesModality"/> without the search that turns texts away first.</summary>
    internal static bool NamesModalityWordByWord(ReadOnlySpan<char> text) =>
        // The parser's tokenizer makes "w/o" a word of its own, even inside one ("MRIW/O" is "mri wo"): the same here.
        // Rare, so only then is the text copied.
        text.Contains(WithoutAbbreviation, StringComparison.OrdinalIgnoreCase)
            ? WordByWord(text.ToString().ToLowerInvariant().Replace(WithoutAbbreviation, " wo ", StringComparison.Ordinal))
            : WordByWord(text);

    private const string WithoutAbbreviation = "w/o";

    private static bool WordByWord(ReadOnlySpan<char> text)
    {
        Span<char> current = stackalloc char[LongestWord];
        Span<char> previous = stackalloc char[LongestWord];
        int length = 0, previousLength = 0;
        var views = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? char.ToLowerInvariant(text[i]) : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if (length < LongestWord)
                {
                    current[length] = c;
                }

                length++;
                continue;
            }

            if (length == 0)
            {
                continue;
            }

            // A word longer than any modality word matches nothing, but still separates a pair.
            var word = length <= LongestWord ? current[..length] : [];
            ReadOnlySpan<char> before = previous[..previousLength];
            if (ModalityOf(word, []) is not null || ModalityOf(before, word) is not null)
            {
                return true;
            }

            views |= word is "view" or "views";
            word.CopyTo(previous);
            previousLength = word.Length;
            length = 0;
        }

        return views;
    }

    // An order's or study's name ("CT hip without contrast") comes back call after call: parsed once, remembered.
    private static readonly TextMemo<ImagingText> Parsed = new(ParseText);

    public static ImagingText Parse(string? text) =>
        string.IsNullOrWhiteSpace(text) ? ImagingText.Empty : Parsed.Get(text);

    private static ImagingText ParseText(string text)
    {
        var tokens = Tokenize(text);
        Modality? modality = null;
        Joint? joint = null;
        Side? side = null;
        bool without = false, with = false, pelvis = false, other = false, plural = false, views = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var next = i + 1 < tokens.Count ? tokens[i + 1] : string.Empty;
            modality ??= ModalityOf(token, next);
            views |= token is "view" or "views";
            switch (token)
            {
                case "hip" or "femoral":
                    joint ??= Joint.Hip;
                    break;
                case "hips":
                    joint ??= Joint.Hip;
                    plural = true;
                    break;
                case "knee":
                    joint ??= Joint.Knee;
                    break;
                case "knees":
                    joint ??= Joint.Knee;
                    plural = true;
                    break;
                case "ankle":
                    joint ??= Joint.Ankle;
                    break;
                case "ankles":
                    joint ??= Joint.Ankle;
                    plural = true;
                    break;
                case "pelvis" or "pelvic":
                    pelvis = true;
                    break;
                case "lt" or "left" or "l":
                    side = Combine(side, Side.Left);
                    break;
                case "rt" or "right" or "r":
                    side = Combine(side, Side.Right);
                    break;
                case "bilat" or "bilateral" or "both" or "bil" or "bilaterally" or "bl":
                    side = Side.Bilateral;
                    break;
                case "wo" or "noncontrast" or "unenhanced":
                    without = true;
                    break;
                case "non" when next == "contrast":
                    without = true;
                    break;
                case "without" when IsLast(tokens, i) || Near(tokens, i, ContrastWords, "with", "w", "and"):
                    without = true;
                    break;
                case "w":
                    with = true;
                    break;
                case "with" when Near(tokens, i, ContrastWords, "without", "wo", "and"):
                    with = true;
                    break;
                case "gadolinium" or "gad" or "enhanced" when !without:
                    with = true;
                    break;
                default:
                    other |= OtherAnatomyWords.Contains(token);
                    break;
            }
        }

        if (modality is null && views)
        {
            modality = Modality.XR;
        }

        if (side is null && plural)
        {
            side = Side.Bilateral;
        }

        Contrast? contrast = (without, with) switch
        {
            (true, true) => Contrast.WithoutThenWith,
            (true, false) => Contrast.Without,
            (false, true) => Contrast.With,
            _ => null,
        };
        return new ImagingText(modality, joint, side, contrast, pelvis, other);
    }

    // The words that name a modality on their own; "x ray" and "bone scan" name one as a pair (ModalityOf).
    private static readonly (string Word, Modality Modality)[] ModalityWords =
    [
        ("mr", Modality.MR), ("mri", Modality.MR), ("magnetic", Modality.MR), ("mrt", Modality.MR),
        ("ct", Modality.CT), ("computed", Modality.CT), ("cat", Modality.CT),
        ("xr", Modality.XR), ("xray", Modality.XR), ("radiograph", Modality.XR), ("radiographs", Modality.XR), ("radiography", Modality.XR),
        ("radiographic", Modality.XR), ("radiologic", Modality.XR),
        ("nm", Modality.NM), ("scintigraphy", Modality.NM), ("spect", Modality.NM), ("scintigram", Modality.NM),
        ("us", Modality.US), ("ultrasound", Modality.US), ("sonography", Modality.US), ("ultrasonography", Modality.US),
    ];

    private static readonly FrozenDictionary<string, Modality>.AlternateLookup<ReadOnlySpan<char>> ModalityByWord =
        ModalityWords.ToFrozenDictionary(pair => pair.Word, pair => pair.Modality, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    // Every word that can make NamesModality true appears somewhere in its text, ignoring case: the words above, the
    // second word of each pair and "view". A text with none of them (a lab panel, a drug) is answered by one vectorised
    // search instead of word by word.
    private static readonly SearchValues<string> ModalityWordsAnywhere =
        SearchValues.Create([.. ModalityWords.Select(pair => pair.Word), "ray", "bone", "view"], StringComparison.OrdinalIgnoreCase);

    private static Modality? ModalityOf(ReadOnlySpan<char> token, ReadOnlySpan<char> next) =>
        ModalityByWord.TryGetValue(token, out var modality) ? modality
        : token is "x" && next is "ray" ? Modality.XR
        : token is "bone" && next is "scan" ? Modality.NM
        : null;

    private static Side Combine(Side? current, Side side) => current is { } known ? ImagingVocabulary.Combine(known, side) : side;

    private static bool IsLast(List<string> tokens, int index) => index == tokens.Count - 1;

    // A "with"/"without" is about contrast when a contrast word or its counterpart follows within three words.
    private static bool Near(List<string> tokens, int index, HashSet<string> words, params string[] extra)
    {
        for (var j = index + 1; j < tokens.Count && j <= index + 3; j++)
        {
            if (words.Contains(tokens[j]) || extra.Contains(tokens[j]))
            {
                return true;
            }
        }

        return false;
    }

    private static List<string> Tokenize(string text)
    {
        // "W/O" is the only abbreviation whose slash matters; every other non-letter separates words.
        var lowered = text.ToLowerInvariant().Replace(WithoutAbbreviation, " wo ", StringComparison.Ordinal);
        var builder = new StringBuilder(lowered.Length);
        foreach (var c in lowered)
        {
            builder.Append(char.IsLetterOrDigit(c) ? c : ' ');
        }

        return [.. builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }
}
