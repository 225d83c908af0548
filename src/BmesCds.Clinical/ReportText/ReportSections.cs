using System.Text;
using System.Text.RegularExpressions;

namespace BmesCds.Clinical.ReportText;

/// <summary>
/// Keeps the parts of a full radiology report that state findings (BMES-RULES.md 7a, C4: text from presentedForm).
/// A report sent whole carries sections that only ask or describe: the indication ("Clinical history: hip pain, ?AVN"),
/// the technique and the comparison. Their words are questions, not findings, and reading "?AVN" in an indication as
/// osteonecrosis would be the worst error this service can make, so those sections are dropped. Text without section
/// headers (a conclusion) is kept whole. Every header becomes a blank line, which ends a sentence.
/// </summary>
public static partial class ReportSections
{
    /// <summary>Headers whose section does not report findings.</summary>
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        "indication", "indications", "clinical indication", "clinical indications", "history", "clinical history",
        "clinical information", "clinical info", "clinical details", "clinical question", "clinical query", "query",
        "question", "reason for exam", "reason for examination", "reason for study", "reason for referral",
        "reason for request", "request", "referral", "technique", "techniques", "protocol", "sequences",
        "comparison", "comparisons", "prior studies", "procedure", "exam", "examination", "study",
    };

    /// <summary>Headers whose section reports findings (they end a skipped section).</summary>
    private static readonly HashSet<string> Kept = new(StringComparer.Ordinal)
    {
        "findings", "finding", "impression", "impressions", "conclusion", "conclusions", "opinion", "summary",
        "report", "result", "results", "comment", "comments", "diagnosis", "interpretation", "assessment",
    };

    /// <summary>The report without the sections that do not report findings; headers replaced by blank lines.</summary>
    public static string Relevant(string text)
    {
        var kept = new StringBuilder(text.Length);
        var skipping = false;
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (Header(line) is var (name, content) && (Skipped.Contains(name) || Kept.Contains(name)))
            {
                skipping = Skipped.Contains(name);
                kept.Append("\n\n");
                if (!skipping && content.Length > 0)
                {
                    kept.Append(content).Append('\n');
                }

                continue;
            }

            if (!skipping)
            {
                kept.Append(line).Append('\n');
            }
        }

        return kept.ToString();
    }

    /// <summary>"CLINICAL HISTORY: text" or a line that is only a header ("IMPRESSION"): its name, lower-case, and the rest.</summary>
    private static (string Name, string Content)? Header(string line)
    {
        var match = HeaderPattern().Match(line);
        if (!match.Success)
        {
            return null;
        }

        // "Name: rest", or a line that is nothing but the name ("IMPRESSION" alone on its line).
        var name = string.Join(' ', match.Groups["name"].Value.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return (name, match.Groups["rest"].Value.Trim());
    }

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z][A-Za-z /&]{0,40}?)\s*(?::\s*(?<rest>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderPattern();
}
