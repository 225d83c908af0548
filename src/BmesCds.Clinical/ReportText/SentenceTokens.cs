using System.Text;

namespace BmesCds.Clinical.ReportText;

/// <summary>
/// A sentence as lower-case words, with "," ";" and a query "?" kept as tokens of their own (they bound the reach of
/// a negation). Contractions and shorthand are spelled out first: "can't" and "cannot" read "can not", "isn't" reads
/// "is not", "w/o" reads "without", "r/o" reads "rule out". Every other mark (hyphen, slash, dot, bracket, colon)
/// separates words: "band-like" is "band like", "3.0 T" is "3 0 t", "AVN: none" is "avn none".
/// </summary>
internal static class SentenceTokens
{
    public const string Comma = ",";
    public const string Semicolon = ";";
    public const string Query = "?";

    private static readonly (string From, string To)[] Spellings =
    [
        ("\u2019", "'"), ("can't", "can not"), ("cannot", "can not"), ("won't", "will not"), ("n't", " not"),
        ("w/o", " without "), ("r/o", " rule out "),
    ];

    public static List<string> Of(string sentence)
    {
        var text = sentence.ToLowerInvariant();
        foreach (var (from, to) in Spellings)
        {
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        var tokens = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
                continue;
            }

            Flush(word, tokens);
            if (c is ',' or ';' or '?')
            {
                tokens.Add(c.ToString());
            }
        }

        Flush(word, tokens);
        return tokens;
    }

    private static void Flush(StringBuilder word, List<string> tokens)
    {
        if (word.Length > 0)
        {
            tokens.Add(word.ToString());
            word.Clear();
        }
    }
}
