using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace BmesCds.Clinical.ReportText;

/// <summary>
/// The text of an HTML report (presentedForm text/html, BMES-RULES.md 7a, C4): tags stripped, entities decoded,
/// scripts and styles dropped; paragraphs, headings, table rows and list items become line breaks so that sentences
/// and list items end where the page ends them.
/// </summary>
public static partial class HtmlText
{
    public static string ToText(string html)
    {
        var text = Hidden().Replace(html, " ");
        text = LineBreak().Replace(text, "\n");
        text = BlockEnd().Replace(text, "\n\n");
        text = ListItemStart().Replace(text, "\n- ");
        text = Tag().Replace(text, " ");
        text = WebUtility.HtmlDecode(text).Replace('\u00a0', ' ');
        var lines = text.ReplaceLineEndings("\n").Split('\n').Select(line => Spaces().Replace(line, " ").Trim());
        return new StringBuilder().AppendJoin('\n', lines).ToString();
    }

    [GeneratedRegex(@"<(script|style|head)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Hidden();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"</?(p|div|h[1-6]|tr|table|ul|ol|section|article|blockquote|pre)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ListItemStart();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t]+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
