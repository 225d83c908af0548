using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;

namespace BmesCds.Clinical.Rules;

/// <summary>Rule 6: in adults, MRI for marrow edema or osteonecrosis needs no IV contrast.</summary>
internal sealed class MriWithoutContrastRule : ClinicalRule
{
    public const string RuleId = "mri-without-contrast";

    public override RuleDescriptor Descriptor { get; } = new(
        RuleId,
        6,
        OrderHooks,
        "info",
        "adult, PAIN, the order is MR of that joint with contrast (W or WO-then-W)",
        "replace with the same MRI WO",
        "ACR AC Osteonecrosis 2022 [S4]; ACR AC Chronic Hip Pain [S8]");

    public override RuleFiring? Evaluate(RuleContext context)
    {
        if (!context.Findings.Adult || context.Target.OrderClass is not { Modality: Modality.MR, UsesContrast: true } order)
        {
            return null;
        }

        var side = order.Side != Side.Unknown ? order.Side : context.Side;
        var name = ImagingVocabulary.Phrase(context.Joint, side);
        var pregnancy = context.Findings.Pregnant.Count > 0 ? " In pregnancy, gadolinium should be avoided." : string.Empty;
        return new RuleFiring(
            CardIndicator.Info,
            $"MRI of {name} for pain: IV contrast is not needed in adults; order the MRI without contrast",
            $"IV contrast adds nothing to MRI for marrow edema or osteonecrosis in adults.{pregnancy}",
            [context.ReplaceWithMri(RuleId, context.Joint, side, $"Order MRI of {name} without contrast instead")]);
    }
}
