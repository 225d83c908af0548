using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;

namespace BmesCds.Clinical.Rules;

/// <summary>Rule 4: in pregnancy, hip pain is imaged with MRI without gadolinium, not X-ray, CT or bone scan.</summary>
internal sealed class PregnancyAvoidIonizingRule : ClinicalRule
{
    public const string RuleId = "pregnancy-avoid-ionizing";

    public override RuleDescriptor Descriptor { get; } = new(
        RuleId,
        4,
        OrderHooks,
        "warning",
        "PREGNANT, hip PAIN, the order is XR/CT/NM of the hip or pelvis",
        "replace with MRI of that hip (side of the pain) WO; never a contrast study",
        "BMES in the third trimester [S1][S2]; ACR AC Chronic Hip Pain [S8]");

    public override RuleFiring? Evaluate(RuleContext context)
    {
        if (context.Joint != Joint.Hip || context.Findings.Pregnant.Count == 0 || !context.OrderIs(Modality.XR, Modality.CT, Modality.NM))
        {
            return null;
        }

        var side = context.PainSide;
        return new RuleFiring(
            CardIndicator.Warning,
            $"Pregnant patient with pain in {ImagingVocabulary.Phrase(Joint.Hip, side)}: MRI without contrast is preferred over {context.OrderName} (no ionizing radiation)",
            $"Pregnancy: the {context.OrderName} exposes the fetus to ionizing radiation; MRI without gadolinium shows marrow edema of the hip.",
            [context.ReplaceWithMri(RuleId, Joint.Hip, side, $"Order MRI of {ImagingVocabulary.Phrase(Joint.Hip, side)} without contrast instead")]);
    }
}
