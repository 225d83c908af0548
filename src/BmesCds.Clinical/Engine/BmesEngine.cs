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

    public IReadOnlyList<CardDraft> Evaluate(EvaluationRequest request) => Evaluate(request, guarded: true);

    /// <summary>
    /// With <paramref name="guarded"/> false, a defect surfaces as an exception (property tests); the host always gets
    /// the guarded form, where one broken order costs that order's card, never the response.
    /// </summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "The engine must never fail a hook.")]
    internal IReadOnlyList<CardDraft> Evaluate(EvaluationRequest request, bool guarded)
    {
        PatientFacts facts;
        try
        {
            facts = PatientFacts.Build(request, _vocabulary, _options);
        }
        catch (Exception) when (guarded)
        {
            return [];
        }

        var cards = new List<CardDraft>();
        foreach (var target in Targets(request, facts))
        {
            try
            {
                if (Judge(request, facts, target) is { } card)
                {
                    cards.Add(card);
                }
            }
            catch (Exception) when (guarded)
            {
                // Skip this order or joint; the others still get their cards.
            }
        }

        return cards;
    }

    private CardDraft? Judge(EvaluationRequest request, PatientFacts facts, Target target)
    {
        var findings = JointFindings.Compute(facts, target, _vocabulary, _options);
        var (verdict, _) = Silences.Check(findings, request.Context.Hook);
        if (verdict == Verdict.Silent)
        {
            return null;
        }

        var context = new RuleContext(request, findings, _proposals, _options);
        var fired = new List<(ClinicalRule Rule, RuleFiring Firing)>();
        foreach (var rule in RuleCatalogue.RulesFor(request.Context.Hook))
        {
            if ((verdict == Verdict.Speak || rule.Id == OsteonecrosisRiskRule.RuleId) && rule.Evaluate(context) is { } firing)
            {
                fired.Add((rule, firing));
            }
        }

        return fired.Count == 0 ? null : _composer.Compose(fired, findings);
    }

    private IEnumerable<Target> Targets(EvaluationRequest request, PatientFacts facts)
    {
        if (request.Context.Hook == HookKind.PatientView)
        {
            return PainfulJointsWithoutOrder(facts);
        }

        var drafts = request.DraftOrders.OfType<ServiceRequest>().ToList();
        var judged = request.Context.Hook == HookKind.OrderSelect
            ? request.Context.Selections.Select(selection => drafts.Find(order => IsSelected(order, selection))).OfType<ServiceRequest>().Distinct()
            : drafts;
        return judged.Select(order => OrderTarget(order, facts)).OfType<Target>();
    }

    private static bool IsSelected(ServiceRequest order, string selection) =>
        !string.IsNullOrEmpty(order.Id)
        && (selection == $"ServiceRequest/{order.Id}" || selection == order.Id
            || FhirFacts.Normalize(new ResourceReference(selection)) == $"ServiceRequest/{order.Id}");

    private Target? OrderTarget(ServiceRequest order, PatientFacts facts)
    {
        if (order.Status is RequestStatus.Revoked or RequestStatus.EnteredInError)
        {
            return null;
        }

        var kind = _vocabulary.Classifier.Classify(order, facts.FindCondition);
        if (kind.Joint == Joint.None || !JudgedModalities.Contains(kind.Modality))
        {
            return null;
        }

        var side = kind.Side;
        if (side == Side.Unknown)
        {
            // An unsided order (XR Knee 3 views, CPT 73721) images the painful side.
            side = facts.Pain.Where(pain => pain.Joint == kind.Joint).Select(pain => pain.Side).Aggregate(Side.Unknown, ImagingVocabulary.Combine);
        }

        return new Target(kind.Joint, side, order, kind);
    }

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
