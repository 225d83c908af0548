using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Imaging;

namespace BmesCds.Clinical.Rules;

/// <summary>Rule 7 (patient-view): persistent joint pain with a normal X-ray and no MRI yet: propose an MRI without contrast.</summary>
internal sealed class MriRecommendedRule : ClinicalRule
{
    public const string RuleId = "mri-recommended";

    public override RuleDescriptor Descriptor { get; } = new(
        RuleId,
        7,
        [HookKind.PatientView],
        "info",
        "PAIN for at least 2 weeks, XR_NORMAL, no MRI_RECENT (done or ordered)",
        "create MRI of that joint and side WO (intent proposal)",
        "ACR AC Chronic Hip Pain [S8]; seed document [S1]");

    public override RuleFiring? Evaluate(RuleContext context)
    {
        var findings = context.Findings;
        var longEnough = ClinicalWindow.AtLeastDaysBefore(findings.PainOnset, context.Request.Now, context.Options.MinimumPainDays);
        if (!longEnough || !findings.XrayNormal || findings.MriRecent.Count > 0)
        {
            return null;
        }

        var name = ImagingVocabulary.Phrase(context.Joint, context.Side);
        return new RuleFiring(
            CardIndicator.Info,
            $"Persistent pain in {name} with a normal X-ray: consider MRI without contrast for marrow edema or early osteonecrosis",
            $"Pain for at least {context.Options.MinimumPainDays} days with a normal radiograph and no MRI: MRI without contrast confirms or excludes marrow edema.",
            [context.CreateMri(RuleId, context.Joint, context.Side, $"Propose MRI of {name} without contrast")]);
    }
}
