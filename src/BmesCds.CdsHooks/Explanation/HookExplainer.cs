using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Rules;

namespace BmesCds.CdsHooks.Explanation;

/// <summary>
/// Turns a <see cref="HookOutcome"/> into its <see cref="HookExplanation"/>: the engine's judgements (findings, rule
/// verdicts, silences), the record resolution's key reports and the pipeline's timings. Reads only those values, so
/// the explanation says what the pipeline did, whatever the cards say.
/// </summary>
public static class HookExplainer
{
    public static HookExplanation Explain(HookOutcome outcome, CdsServiceDefinition service, DateTimeOffset evaluatedAt)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(service);
        var tolerated = (outcome.Request?.DraftOrderReadIssues ?? [])
            .Concat(outcome.Record?.Assembly?.Tolerated ?? [])
            .Select(issue => new ExplainedIssue(issue.Location, issue.Code))
            .ToList();
        return new HookExplanation(
            service.Id,
            HookNames.Of(service.Hook),
            outcome.HookInstance,
            evaluatedAt,
            outcome.Status,
            RefusalOf(outcome),
            [.. outcome.Evaluation.Judgements.Select(judgement => Explain(judgement, service.Hook))],
            [.. outcome.Keys.Select(Explain)],
            tolerated,
            Explain(outcome.Timings));
    }

    private static ExplainedRefusal? RefusalOf(HookOutcome outcome)
    {
        if (outcome.Error is { } error)
        {
            return new ExplainedRefusal(error.Field, error.Message);
        }

        if (outcome.Invalid is { Issue: [var issue, ..] })
        {
            var field = issue.Expression.Concat(issue.Location).FirstOrDefault() ?? string.Empty;
            return new ExplainedRefusal(field, issue.Diagnostics ?? issue.Details?.Text ?? "the request is not valid FHIR");
        }

        return null;
    }

    private static ExplainedJudgement Explain(Judgement judgement, HookKind hook)
    {
        var subject = judgement.Subject;
        var card = judgement.Card;
        return new ExplainedJudgement(
            SubjectText(subject),
            ImagingVocabulary.Code(subject.Joint),
            ImagingVocabulary.Code(subject.Side),
            subject.OrderReference,
            subject.OrderClass is { } kind ? ClassText(kind) : null,
            card is null ? "silent" : "card",
            card?.RuleId,
            card?.FiredRuleIds ?? [],
            judgement.Silence is { } silence && card is null ? new ExplainedSilence(silence.Code, silence.Why) : null,
            [.. judgement.Findings.Select(finding => new ExplainedFinding(finding.Name, finding.Evidence))],
            RulesOf(judgement, hook));
    }

    // Every rule of the service: the engine's verdicts when it ran the rules; when a silence stopped it first, each
    // rule "not run" for that silence.
    private static List<ExplainedRule> RulesOf(Judgement judgement, HookKind hook)
    {
        var verdicts = judgement.Rules.Count > 0
            ? judgement.Rules
            : [.. RuleCatalogue.ForHook(hook).Select(rule => new RuleVerdict(rule.Id, RuleOutcome.NotRun, judgement.Silence?.Why ?? "the order or joint was not judged"))];
        return [.. verdicts.Select(Explain)];
    }

    private static ExplainedRule Explain(RuleVerdict verdict)
    {
        var rule = RuleCatalogue.All.FirstOrDefault(descriptor => descriptor.Id == verdict.RuleId);
        return new ExplainedRule(verdict.RuleId, rule?.Priority ?? 0, OutcomeCode(verdict.Outcome), WhyOf(verdict), rule?.FiresWhen ?? string.Empty);
    }

    // The outcome is a column of its own: the sentence says only why (what the rule saw, what it needs, what stopped it).
    private static string WhyOf(RuleVerdict verdict) => verdict.Outcome == RuleOutcome.DidNotFire ? $"it needs: {verdict.Reason}" : verdict.Reason;

    private static string OutcomeCode(RuleOutcome outcome) => outcome switch
    {
        RuleOutcome.Fired => "fired",
        RuleOutcome.NotRun => "not-run",
        _ => "did-not-fire",
    };

    /// <summary>"left hip" on patient-view; "ServiceRequest/ct-1 (left hip)" on the order hooks.</summary>
    private static string SubjectText(JudgedSubject subject)
    {
        var joint = subject.Joint == Joint.None ? null : ImagingVocabulary.Name(subject.Joint, subject.Side);
        return (subject.OrderReference, joint) switch
        {
            (null, null) => subject.OrderClass is null ? "an order without an id" : "an order",
            (null, { } name) => subject.OrderClass is null ? name : $"an order without an id ({name})",
            ({ } order, null) => order,
            ({ } order, { } name) => $"{order} ({name})",
        };
    }

    /// <summary>"CT of the left hip, without contrast".</summary>
    private static string ClassText(ImagingClass kind)
    {
        var modality = kind.Modality == Modality.Other ? "other imaging" : kind.Modality.ToString();
        var where = kind.Joint == Joint.None ? string.Empty : $" of {ImagingVocabulary.Phrase(kind.Joint, kind.Side)}";
        var contrast = kind.Contrast switch
        {
            Contrast.Without => ", without contrast",
            Contrast.With => ", with contrast",
            Contrast.WithoutThenWith => ", without then with contrast",
            _ => string.Empty,
        };
        return modality + where + contrast;
    }

    private static ExplainedPrefetchKey Explain(KeyReport key) => new(
        key.Key,
        SourceCode(key.Source),
        key.Resources,
        key.Field is { } field && key.Detail is { } detail ? $"{field}: {detail}" : key.Detail,
        key.Fetch is { } fetch ? new ExplainedFetch(fetch.Outcome, fetch.Status, fetch.Pages, Milliseconds(fetch.Duration)) : null);

    /// <summary>The words of the bmes_cds.prefetch.keys metric's <c>source</c> tag, so that the two read alike.</summary>
    public static string SourceCode(KeySource source) => source switch
    {
        KeySource.Prefetched => "supplied",
        KeySource.Fetched => "fetched",
        KeySource.NoData => "none",
        KeySource.Failed => "failed",
        _ => "not-fetched",
    };

    private static ExplainedTimings Explain(HookTimings timings) => new(
        Milliseconds(timings.Parse), Milliseconds(timings.Record), Milliseconds(timings.Evaluate), Milliseconds(timings.Cards), Milliseconds(timings.Total));

    private static double Milliseconds(TimeSpan time) => Math.Round(time.TotalMilliseconds, 3);
}
