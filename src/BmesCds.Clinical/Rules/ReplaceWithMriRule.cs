using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Imaging;

namespace BmesCds.Clinical.Rules;

/// <summary>Rule 5: after a normal X-ray, CT, bone scan or a repeat X-ray add little: MRI without contrast is the next study.</summary>
internal sealed class ReplaceWithMriRule : ClinicalRule
{
    public const string RuleId = "replace-with-mri";

    public override RuleDescriptor Descriptor { get; } = new(
        RuleId,
        5,
        OrderHooks,
        "warning (CT/NM of the hip) / info (repeat X-ray; knee, ankle)",
        "PAIN, XR_NORMAL (90 days), no MRI_RECENT, no ON_DX, and the order is CT or NM of that joint, or an X-ray within 42 days of the normal one",
        "replace the order with MRI of that joint and side WO",
        "ACR AC Chronic Hip Pain [S8]; ACR AC Acute Hip Pain [S7]; ACR AC Osteonecrosis of the Hip [S3]");

    public override RuleFiring? Evaluate(RuleContext context)
    {
        var findings = context.Findings;
        if (!findings.XrayNormal || findings.MriRecent.Count > 0 || findings.OsteonecrosisDiagnosis.Count > 0)
        {
            return null;
        }

        var repeat = context.OrderIs(Modality.XR) && ClinicalWindow.InLastDays(findings.XrayDate, context.Request.Now, context.Options.RepeatXrayWindowDays);
        if (!context.OrderIs(Modality.CT, Modality.NM) && !repeat)
        {
            return null;
        }

        var name = ImagingVocabulary.Name(context.Joint, context.Side);
        return new RuleFiring(
            repeat ? CardIndicator.Info : context.JointIndicator(CardIndicator.Warning),
            repeat
                ? $"Normal {name} X-ray in the last {context.Options.RepeatXrayWindowDays} days: MRI without contrast is preferred over a repeat X-ray"
                : $"Normal {name} X-ray: MRI without contrast is preferred over {context.OrderName} for suspected marrow edema or early osteonecrosis",
            $"After a normal radiograph, MRI without IV contrast is the study of choice for marrow edema, early osteonecrosis or occult fracture; {context.OrderName} adds little.",
            [context.ReplaceWithMri(RuleId, context.Joint, context.Side, $"Order MRI of {ImagingVocabulary.Phrase(context.Joint, context.Side)} without contrast instead")]);
    }
}
