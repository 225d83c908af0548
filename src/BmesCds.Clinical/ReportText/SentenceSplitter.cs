using System.Text;
using System.Text.RegularExpressions;

namespace BmesCds.Clinical.ReportText;

/// <summary>
/// Splits report text into sentences (BMES-RULES.md 7a, C5). A sentence ends at ".", "!" or "?" followed by white
/// space and then an upper-case letter, a digit or the end of the text; at a blank line; at the end of a list item.
/// It does not end inside a number ("3.0 T"), after a common abbreviation ("e.g.", "i.e.", "approx.", "vs.", "Dr.",
/// "No." before a digit), at a single line break (radiology text is hard-wrapped), or at a "?" that stands before a
/// word (the radiologist's query mark in "? AVN", which belongs to what follows).
/// </summary>
public static partial class SentenceSplitter
{
    /// <summary>Words that end with a dot without ending the sentence (lower case, inner dots kept: "e.g").</summary>
    private static readonly HashSet<string> Abbreviations = new(StringComparer.Ordinal)
    {
        "e.g", "eg", "i.e", "ie", "approx", "appr", "vs", "dr", "prof", "mrs", "cf", "fig", "figs", "ca", "incl",
        "resp", "max", "min", "diam", "etc", "viz", "ref", "sag", "cor", "ax", "img", "ser",
    };

    public static IReadOnlyList<string> Split(string? text)
    {
        var sentences = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return sentences;
        }

        foreach (var block in Blocks(text))
        {
            SplitBlock(block, sentences);
        }

        return sentences;
    }

    /// <summary>Paragraphs and list items, each with its hard-wrapped lines joined by a space.</summary>
    private static IEnumerable<string> Blocks(string text)
    {
        var block = new StringBuilder();
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var item = ListItem().Match(line);
            if (string.IsNullOrWhiteSpace(line) || item.Success)
            {
                if (block.Length > 0)
                {
                    yield return block.ToString();
                    block.Clear();
                }

                if (item.Success)
                {
                    block.Append(line.AsSpan(item.Length));
                }

                continue;
            }

            block.Append(block.Length > 0 ? " " : string.Empty).Append(line.Trim());
        }

        if (block.Length > 0)
        {
            yield return block.ToString();
        }
    }

    private static void SplitBlock(string block, List<string> sentences)
    {
        var start = 0;
        for (var i = 0; i < block.Length; i++)
        {
            if (block[i] is '.' or '!' or '?' && EndsSentence(block, i))
            {
                Add(block[start..(i + 1)], sentences);
                start = i + 1;
            }
        }

        Add(block[start..], sentences);
    }

    private static bool EndsSentence(string block, int index)
    {
        if (index + 1 < block.Length && !char.IsWhiteSpace(block[index + 1]))
        {
            return false;
        }

        var next = index + 1;
        while (next < block.Length && char.IsWhiteSpace(block[next]))
        {
            next++;
        }

        if (next < block.Length && !(char.IsUpper(block[next]) || char.IsDigit(block[next])))
        {
            return false;
        }

        // "? AVN": a query mark standing before a word, not a question ending a sentence.
        if (block[index] == '?')
        {
            return index > 0 && !char.IsWhiteSpace(block[index - 1]);
        }

        if (block[index] != '.')
        {
            return true;
        }

        var word = WordBefore(block, index);
        if (Abbreviations.Contains(word))
        {
            return false;
        }

        // "No. 3": a number sign, not a "No." that answers a question.
        return !(word == "no" && next < block.Length && char.IsDigit(block[next]));
    }

    /// <summary>The word before a dot, lower case, with inner dots ("e.g" before the dot of "e.g.").</summary>
    private static string WordBefore(string block, int dot)
    {
        var start = dot;
        while (start > 0 && (char.IsLetter(block[start - 1]) || block[start - 1] == '.'))
        {
            start--;
        }

        return block[start..dot].ToLowerInvariant();
    }

    private static void Add(string sentence, List<string> sentences)
    {
        var trimmed = sentence.Trim();
        if (trimmed.Length > 0)
        {
            sentences.Add(trimmed);
        }
    }

    /// <summary>"- item", "* item", "• item", "1. item", "2) item", "a) item" at the start of a line.</summary>
    [GeneratedRegex(@"^\s*(?:[-*•·–]|\d{1,2}[.)]|[a-z]\))\s+", RegexOptions.CultureInvariant)]
    private static partial Regex ListItem();
}
