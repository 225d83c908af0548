using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;

namespace BmesCds.Clinical.Rules;

/// <summary>Rule 3: hip pain with osteonecrosis risk factors and no recent MRI: both hips need an MRI without contrast.</summary>
internal sealed class OsteonecrosisRiskRule : ClinicalRule
{
    public const string RuleId = "osteonecrosis-risk";

    public override RuleDescriptor Descriptor { get; } = new(
        RuleId,
        3,
        AllHooks,
        "warning",
        "hip PAIN, ON_RISK not empty, no ON_DX, no MRI_RECENT (done or ordered)",
        "if XR_NORMAL or the order is CT/NM/MR: replace with MRI of both hips WO (36486-9); first X-ray: no suggestion",
        "ACR AC Osteonecrosis of the Hip [S3]; ACR AC Osteonecrosis 2022 [S4]; ARCO criteria [S5][S6]");

    public override bool IsOsteonecrosisRule => true;

    public override RuleFiring? Evaluate(RuleContext context)
    {
        var findings = context.Findings;
        var alreadyRight = context.Target.OrderClass is { Modality: Modality.MR, Side: Side.Bilateral, Contrast: Contrast.Without };
        if (context.Joint != Joint.Hip || findings.OsteonecrosisRisk.Count == 0 || findings.OsteonecrosisDiagnosis.Count > 0
            || findings.MriRecent.Count > 0 || alreadyRight)
        {
            return null;
        }

        const string Label = "Order MRI of both hips without contrast instead";
        var firstXray = context.OrderIs(Modality.XR) && !findings.XrayDone;
        IReadOnlyList<SuggestionDraft> suggestions = firstXray ? []
            : findings.XrayNormal || context.OrderIs(Modality.CT, Modality.NM, Modality.MR) ? [context.ReplaceWithMri(RuleId, Joint.Hip, Side.Bilateral, Label)]
            : [];
        var summary = firstXray
            ? $"Osteonecrosis risk factors and pain in {ImagingVocabulary.Phrase(Joint.Hip, context.Side)}: if this X-ray is normal, MRI of both hips without contrast should follow"
            : $"Osteonecrosis risk factors and pain in {ImagingVocabulary.Phrase(Joint.Hip, context.Side)}: MRI of both hips without contrast is the study of choice";
        return new RuleFiring(
            CardIndicator.Warning,
            summary,
            "Hip pain with osteonecrosis risk factors: MRI without contrast of both hips detects early osteonecrosis, which is bilateral in most cases"
                + (firstXray ? "; radiographs first, then MRI of both hips if the X-ray is normal." : "."),
            suggestions);
    }
}
