using System.Globalization;

namespace BmesCds.CdsHooks.Explanation;

/// <summary>
/// A <see cref="HookExplanation"/> as plain text for a terminal (<c>bmes-cds evaluate --explain</c>): the same content
/// as the console's explanation panel, one judgement after the other, then the prefetch keys and the timings.
/// </summary>
public static class ExplanationText
{
    public static void Write(HookExplanation explanation, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(Invariant(
            $"Explanation: {explanation.Service} ({explanation.Hook}), hookInstance {explanation.HookInstance ?? "-"}, evaluated at {explanation.EvaluatedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}, status {explanation.Status}"));
        if (explanation.Refusal is { } refusal)
        {
            output.WriteLine($"Refused: {(refusal.Field.Length == 0 ? "(body)" : refusal.Field)}: {refusal.Message}");
        }

        if (explanation.Judgements.Count == 0 && explanation.Refusal is null)
        {
            output.WriteLine("Nothing was judged: no order (order hooks) or painful joint (patient-view) to look at.");
        }

        foreach (var judgement in explanation.Judgements)
        {
            WriteJudgement(judgement, output);
        }

        output.WriteLine();
        output.WriteLine("Prefetch keys:");
        if (explanation.Prefetch.Count == 0)
        {
            output.WriteLine("  (none resolved)");
        }

        var keyWidth = explanation.Prefetch.Select(key => key.Key.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var key in explanation.Prefetch)
        {
            var line = Invariant($"  {key.Key.PadRight(keyWidth)}{key.Source,-12}{key.Resources} {(key.Resources == 1 ? "resource" : "resources")}");
            if (key.Fetch is { } fetch)
            {
                line += Invariant($"; fetch {fetch.Outcome}, HTTP {(fetch.HttpStatus is { } status ? status.ToString(CultureInfo.InvariantCulture) : "-")}, {fetch.Pages} pages, {fetch.Milliseconds:0.###} ms");
            }

            output.WriteLine(key.Detail is null ? line : $"{line}; {key.Detail}");
        }

        if (explanation.Tolerated.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Tolerated FHIR content (dropped by the lenient reader):");
            foreach (var issue in explanation.Tolerated)
            {
                output.WriteLine($"  {issue.Code} at {(issue.Location.Length == 0 ? "(resource)" : issue.Location)}");
            }
        }

        var timings = explanation.Timings;
        output.WriteLine();
        output.WriteLine(Invariant(
            $"Timings (ms): parse {timings.Parse:0.###}, record {timings.Record:0.###}, evaluate {timings.Evaluate:0.###}, cards {timings.Cards:0.###}, total {timings.Total:0.###}"));
    }

    private static void WriteJudgement(ExplainedJudgement judgement, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(judgement.OrderClass is null ? judgement.Subject : $"{judgement.Subject}: {judgement.OrderClass}");
        if (judgement.CardRule is { } rule)
        {
            output.WriteLine(judgement.MergedRules.Count > 1 ? $"  card {rule} (rules merged: {string.Join(", ", judgement.MergedRules)})" : $"  card {rule}");
        }
        else if (judgement.Silence is { } silence)
        {
            output.WriteLine($"  silent ({silence.Code}): {silence.Why}");
        }

        output.WriteLine("  findings:");
        if (judgement.Findings.Count == 0)
        {
            output.WriteLine("    (none)");
        }

        foreach (var finding in judgement.Findings)
        {
            output.WriteLine($"    {finding.Name}: {string.Join("; ", finding.Evidence)}");
        }

        output.WriteLine("  rules:");
        var width = judgement.Rules.Select(r => r.Id.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var verdict in judgement.Rules)
        {
            output.WriteLine($"    {verdict.Id.PadRight(width)}{verdict.Outcome,-14}{verdict.Why}");
            if (verdict.Outcome == "fired")
            {
                // What held, beside the rule's own sentence.
                output.WriteLine($"    {string.Empty.PadRight(width)}{string.Empty,-14}(fires when: {verdict.FiresWhen})");
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
