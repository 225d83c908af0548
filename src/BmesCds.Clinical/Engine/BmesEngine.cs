using System.Diagnostics.CodeAnalysis;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Rules;
using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Engine;

/// <summary>
/// The BMES clinical engine (BMES-RULES.md): reads the patient's facts once, judges each selected or drafted imaging
/// order (order hooks) or each painful joint without an order (patient-view), applies the silences, runs the rules of
/// the hook's service and merges what fired into one card per order or joint. A pure function of its input.
/// </summary>
public sealed class BmesEngine : ICdsEngine
{
    private static readonly Modality[] JudgedModalities = [Modality.XR, Modality.CT, Modality.MR, Modality.NM];

    private readonly Vocabulary _vocabulary;
    private readonly ClinicalOptions _options;
    private readonly ProposedResources _proposals;
    private readonly CardComposer _composer;

    public BmesEngine(BmesTerminology terminology, ClinicalOptions options)
    {
        _vocabulary = new Vocabulary(terminology);
        _options = options;
        _proposals = new ProposedResources(_vocabulary, options);
        _composer = new CardComposer(_vocabulary, options);
    }

    public IReadOnlyList<CardDraft> Evaluate(EvaluationRequest request) => Judge(request, guarded: true).Cards;

    public Evaluation Judge(EvaluationRequest request) => Judge(request, guarded: true);

    /// <summary>The cards only; see <see cref="Judge(EvaluationRequest, bool)"/>.</summary>
    internal IReadOnlyList<CardDraft> Evaluate(EvaluationRequest request, bool guarded) => Judge(request, guarded).Cards;

    /// <summary>
    /// With <paramref name="guarded"/> false, a defect surfaces as an exception (property tests); the host always gets
    /// the guarded form, where one broken order costs that order's card, never the response.
    /// </summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "The engine must never fail a hook.")]
    internal Evaluation Judge(EvaluationRequest request, bool guarded)
    {
        PatientFacts facts;
        try
        {
            facts = PatientFacts.Build(request, _vocabulary, _options);
        }
        catch (Exception) when (guarded)
        {
            return Evaluation.Silent;
        }

        var cards = new List<CardDraft>();
        var judgements = new List<Judgement>();
        foreach (var candidate in Candidates(request, facts))
        {
            Judgement judgement;
            try
            {
                judgement = candidate.Target is { } target ? Judge(request, facts, target) : candidate.NotJudged!;
            }
            catch (Exception) when (guarded)
            {
                // Skip this order or joint; the others still get their cards.
                judgement = new Judgement(candidate.Subject, new Silence(SilenceReason.Unreadable, "its facts could not be read"), [], Judgement.NoFindings, null);
            }

            judgements.Add(judgement);
            if (judgement.Card is { } card)
            {
                cards.Add(card);
            }
        }

        return new Evaluation(cards, judgements);
    }

    private Judgement Judge(EvaluationRequest request, PatientFacts facts, Target target)
    {
        var findings = JointFindings.Compute(facts, target, _vocabulary, _options);
        var subject = target.Subject;
        var (verdict, silence) = Silences.Check(findings, request.Context.Hook);
        if (verdict == Verdict.Silent)
        {
            return new Judgement(subject, silence, [], findings.Summaries, null);
        }

        var context = new RuleContext(request, findings, _proposals, _options);
        var fired = new List<(ClinicalRule Rule, RuleFiring Firing)>();
        var rules = RuleCatalogue.RulesFor(request.Context.Hook);
        var verdicts = new List<RuleVerdict>(rules.Count);
        foreach (var rule in rules)
        {
            if (_options.IsDisabled(rule.Id))
            {
                verdicts.Add(new RuleVerdict(rule.Id, RuleOutcome.NotRun, "switched off at this site (Rules:Disabled)"));
            }
            else if (verdict != Verdict.Speak && rule.Id != OsteonecrosisRiskRule.RuleId)
            {
                verdicts.Add(new RuleVerdict(rule.Id, RuleOutcome.NotRun, silence!.Why));
            }
            else if (rule.Evaluate(context) is { } firing)
            {
                fired.Add((rule, firing));
                verdicts.Add(new RuleVerdict(rule.Id, RuleOutcome.Fired, firing.Explanation));
            }
            else
            {
                verdicts.Add(new RuleVerdict(rule.Id, RuleOutcome.DidNotFire, rule.Descriptor.FiresWhen));
            }
        }

        var card = fired.Count == 0 ? null : _composer.Compose(fired, findings);
        var why = fired.Count == 0 ? silence ?? new Silence(SilenceReason.NoRuleFired, "no rule fired") : null;
        return new Judgement(subject, why, verdicts, findings.Summaries, card);
    }

    /// <summary>An order or joint to judge (Target), or one the engine looked at and set aside (NotJudged).</summary>
    private sealed record Candidate(JudgedSubject Subject, Target? Target, Judgement? NotJudged);

    private IEnumerable<Candidate> Candidates(EvaluationRequest request, PatientFacts facts)
    {
        if (request.Context.Hook == HookKind.PatientView)
        {
            return PainfulJointsWithoutOrder(facts).Select(target => new Candidate(target.Subject, target, null));
        }

        var drafts = new List<ServiceRequest>(request.DraftOrders.Count);
        foreach (var draft in new ResourcesOf<ServiceRequest>(request.DraftOrders))
        {
            drafts.Add(draft);
        }

        if (request.Context.Hook == HookKind.OrderSign)
        {
            return drafts.Select(order => OrderCandidate(order, facts));
        }

        // One lookup per selection: a request with thousands of orders and selections stays linear.
        var byReference = new Dictionary<string, ServiceRequest>(StringComparer.Ordinal);
        foreach (var order in drafts.Where(order => !string.IsNullOrEmpty(order.Id)))
        {
            byReference.TryAdd($"ServiceRequest/{order.Id}", order);
        }

        var seen = new HashSet<ServiceRequest>(ReferenceEqualityComparer.Instance);
        var candidates = new List<Candidate>();
        foreach (var selection in request.Context.Selections)
        {
            var key = selection.Contains('/', StringComparison.Ordinal) ? FhirFacts.Normalize(selection) : $"ServiceRequest/{selection}";
            if (key is not null && byReference.TryGetValue(key, out var order))
            {
                if (seen.Add(order))
                {
                    candidates.Add(OrderCandidate(order, facts));
                }
            }
            else
            {
                var subject = new JudgedSubject(Joint.None, Side.Unknown, key ?? selection, null);
                candidates.Add(new Candidate(subject, null, new Judgement(
                    subject, new Silence(SilenceReason.SelectionNotFound, "the selection names no order of draftOrders"), [], Judgement.NoFindings, null)));
            }
        }

        return candidates;
    }

    private Candidate OrderCandidate(ServiceRequest order, PatientFacts facts)
    {
        var reference = string.IsNullOrEmpty(order.Id) ? null : $"ServiceRequest/{order.Id}";
        if (order.Status is RequestStatus.Revoked or RequestStatus.EnteredInError)
        {
            return NotJudged(new JudgedSubject(Joint.None, Side.Unknown, reference, null), "the order is revoked or entered in error");
        }

        var kind = facts.ClassOf(order) ?? _vocabulary.Classifier.Classify(order, facts.FindCondition);
        if (kind.Joint == Joint.None || !JudgedModalities.Contains(kind.Modality))
        {
            return NotJudged(
                new JudgedSubject(kind.Joint, kind.Side, reference, kind),
                kind.Joint == Joint.None
                    ? "the joint of the order cannot be told (code, bodySite, reason, text), or it is not a hip, knee or ankle"
                    : $"{kind.Modality} is not an order the rules judge (X-ray, CT, MRI, bone scan)");
        }

        var side = kind.Side;
        if (side == Side.Unknown)
        {
            // An unsided order (XR Knee 3 views, CPT 73721) images the painful side.
            side = facts.Pain.Where(pain => pain.Joint == kind.Joint).Select(pain => pain.Side).Aggregate(Side.Unknown, ImagingVocabulary.Combine);
        }

        var target = new Target(kind.Joint, side, order, kind);
        return new Candidate(target.Subject, target, null);
    }

    private static Candidate NotJudged(JudgedSubject subject, string why) =>
        new(subject, null, new Judgement(subject, new Silence(SilenceReason.NotJudged, why), [], Judgement.NoFindings, null));

    private static IEnumerable<Target> PainfulJointsWithoutOrder(PatientFacts facts)
    {
        foreach (var joint in new[] { Joint.Hip, Joint.Knee, Joint.Ankle })
        {
            var pains = facts.Pain.Where(pain => pain.Joint == joint).ToList();
            if (pains.Count == 0)
            {
                continue;
            }

            var side = pains.Select(pain => pain.Side).Aggregate(Side.Unknown, ImagingVocabulary.Combine);
            if (!facts.Orders.Exists(order => order.Class.Joint == joint && ImagingVocabulary.SidesMatch(order.Class.Side, side)))
            {
                yield return new Target(joint, side, null, null);
            }
        }
    }
}
