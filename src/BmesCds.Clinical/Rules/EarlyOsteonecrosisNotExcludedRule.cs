using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Imaging;

namespace BmesCds.Clinical.Rules;

/// <summary>Rule 2: an MRI read as marrow edema (or equivocal) in a patient with ON risk factors does not exclude early ON.</summary>
internal sealed class EarlyOsteonecrosisNotExcludedRule : ClinicalRule
{
    public const string RuleId = "early-osteonecrosis-not-excluded";

    public override RuleDescriptor Descriptor { get; } = new(
        RuleId,
        2,
        AllHooks,
        "warning",
        "hip MRI_RESULT (12 weeks) is bme-pattern or equivocal, ON_RISK not empty, no ON_DX",
        "create follow-up MRI of both hips WO; delete the judged order only if it is CT or NM",
        "Early ON with diffuse edema [S20][S21]; ACR AC Osteonecrosis 2022 [S4]");

    public override bool IsOsteonecrosisRule => true;

    public override RuleFiring? Evaluate(RuleContext context)
    {
        var findings = context.Findings;
        if (context.Joint != Joint.Hip || findings.MriResult is not (MriFinding.BmePattern or MriFinding.Equivocal)
            || findings.OsteonecrosisRisk.Count == 0 || findings.OsteonecrosisDiagnosis.Count > 0)
        {
            return null;
        }

        const string Label = "Order a follow-up MRI of both hips without contrast";
        var alreadyOrdered = context.Target.OrderClass is { Modality: Modality.MR, Side: Side.Bilateral, Contrast: Contrast.Without or Contrast.Unknown };
        IReadOnlyList<SuggestionDraft> suggestions = alreadyOrdered ? []
            : context.OrderIs(Modality.CT, Modality.NM) ? [context.ReplaceWithMri(RuleId, Joint.Hip, Side.Bilateral, Label)]
            : [context.CreateMri(RuleId, Joint.Hip, Side.Bilateral, Label)];
        var result = findings.MriResult == MriFinding.BmePattern ? "marrow edema" : "an equivocal result";
        return new RuleFiring(
            CardIndicator.Warning,
            $"MRI of {ImagingVocabulary.Phrase(context.Joint, context.Side)} shows {result} and osteonecrosis risk factors are present: early osteonecrosis is not excluded",
            $"The recent hip MRI shows {result}; with osteonecrosis risk factors, diffuse edema can be very early osteonecrosis, so both hips need follow-up MRI.",
            suggestions);
    }
}
