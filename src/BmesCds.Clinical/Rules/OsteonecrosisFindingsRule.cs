using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;

namespace BmesCds.Clinical.Rules;

/// <summary>Rule 1: osteonecrosis features on hip imaging that the problem list does not carry yet.</summary>
internal sealed class OsteonecrosisFindingsRule : ClinicalRule
{
    public const string RuleId = "osteonecrosis-findings";

    public override RuleDescriptor Descriptor { get; } = new(
        RuleId,
        1,
        AllHooks,
        "warning",
        "hip ON_IMAGING (X-ray or MRI with osteonecrosis features, 12 months) and no ON_DX on that side",
        "create Condition 444849002 (provisional) for the problem list; MRI of both hips WO if the other hip had no MRI in 12 months",
        "ACR AC Osteonecrosis 2022 [S4]; bilaterality of femoral head ON [S24][S25]");

    public override bool IsOsteonecrosisRule => true;

    public override RuleFiring? Evaluate(RuleContext context)
    {
        var findings = context.Findings;
        if (context.Joint != Joint.Hip || findings.OsteonecrosisImaging.Count == 0 || findings.OsteonecrosisDiagnosis.Count > 0)
        {
            return null;
        }

        var side = findings.OsteonecrosisImagingEvents.Select(e => e.Class.Side).Aggregate(Side.Unknown, ImagingVocabulary.Combine);
        side = side == Side.Unknown ? context.Side : side;
        var imageBoth = !findings.OtherHipMriWithinYear;
        var suggestions = new List<SuggestionDraft>
        {
            context.CreateOsteonecrosisCondition(RuleId, side, findings.OsteonecrosisImagingEvents.Select(e => e.Source), recommended: !imageBoth),
        };
        if (imageBoth)
        {
            suggestions.Add(context.CreateMri(RuleId, Joint.Hip, Side.Bilateral, "Order MRI of both hips without contrast (osteonecrosis is often bilateral)"));
        }

        var name = ImagingVocabulary.Name(Joint.Hip, side);
        return new RuleFiring(
            CardIndicator.Warning,
            $"Osteonecrosis features on {name} imaging are not on the problem list: record them and image both hips",
            $"Imaging of the {name} shows osteonecrosis features and no osteonecrosis is recorded for it; hip osteonecrosis is bilateral in most cases"
                + (imageBoth ? ", and the other hip has had no MRI in the last year." : "."),
            suggestions);
    }
}
