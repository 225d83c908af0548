using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Imaging;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Rules;

/// <summary>What a rule sees: the findings for the judged order or joint, and builders of the suggestions it may make.</summary>
internal sealed class RuleContext
{
    private readonly ProposedResources _proposals;

    public RuleContext(EvaluationRequest request, JointFindings findings, ProposedResources proposals, ClinicalOptions options)
    {
        Request = request;
        Findings = findings;
        _proposals = proposals;
        Options = options;
    }

    public EvaluationRequest Request { get; }

    public JointFindings Findings { get; }

    public ClinicalOptions Options { get; }

    public Target Target => Findings.Target;

    public bool IsPatientView => Request.Context.Hook == HookKind.PatientView;

    public Joint Joint => Target.Joint;

    /// <summary>The side an MRI of "that joint" should image: the order's, else the pain's.</summary>
    public Side Side => Target.Side != Side.Unknown ? Target.Side : Findings.PainSide;

    /// <summary>The side of the pain, else the order's (pregnancy rule: "that hip, side of the pain").</summary>
    public Side PainSide => Findings.PainSide != Side.Unknown ? Findings.PainSide : Target.Side;

    public bool OrderIs(params ReadOnlySpan<Modality> modalities)
    {
        if (!Target.IsOrder)
        {
            return false;
        }

        foreach (var modality in modalities)
        {
            if (modality == Target.OrderModality)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Indicator for rules 5-7: knee and ankle evidence is weaker (section 6).</summary>
    public CardIndicator JointIndicator(CardIndicator hip) => Joint == Joint.Hip ? hip : CardIndicator.Info;

    public string OrderName => Target.OrderClass is { } order ? OrderWording(order.Modality) : "imaging";

    /// <summary>Delete the judged order (when there is one) and create an MRI without contrast.</summary>
    public SuggestionDraft ReplaceWithMri(string ruleId, Joint joint, Side side, string label, bool recommended = true)
    {
        var mri = _proposals.Mri(this, ruleId, joint, side);
        var create = new ActionDraft(ActionKind.Create, $"Order {ProposedResources.Describe(mri)}", mri, null);
        if (Target.Order is not { } order || string.IsNullOrEmpty(order.Id))
        {
            return new SuggestionDraft(label, recommended, [create]);
        }

        var delete = new ActionDraft(ActionKind.Delete, RemoveOrderWording(Target.OrderClass?.Modality), null, $"ServiceRequest/{order.Id}");
        return new SuggestionDraft(label, recommended, [delete, create]);
    }

    /// <summary>Create an MRI without contrast, keeping the judged order.</summary>
    public SuggestionDraft CreateMri(string ruleId, Joint joint, Side side, string label, bool recommended = true)
    {
        var mri = _proposals.Mri(this, ruleId, joint, side);
        return new SuggestionDraft(label, recommended, [new ActionDraft(ActionKind.Create, $"Order {ProposedResources.Describe(mri)}", mri, null)]);
    }

    public SuggestionDraft CreateOsteonecrosisCondition(string ruleId, Side side, IEnumerable<Resource> evidence, bool recommended)
    {
        var condition = _proposals.OsteonecrosisCondition(this, ruleId, side, evidence);
        return new SuggestionDraft(
            $"Add avascular necrosis of {ImagingVocabulary.Phrase(Joint.Hip, side)} to the problem list (provisional)",
            recommended,
            [new ActionDraft(ActionKind.Create, "Add a provisional problem-list entry: avascular necrosis of bone of hip", condition, null)]);
    }

    // "Remove the CT order", as constants (OrderName's words).
    private static string RemoveOrderWording(Modality? modality) => modality switch
    {
        Modality.XR => "Remove the X-ray order",
        Modality.CT => "Remove the CT order",
        Modality.MR => "Remove the MRI order",
        Modality.NM => "Remove the bone scan order",
        Modality.US => "Remove the ultrasound order",
        _ => "Remove the imaging order",
    };

    public static string OrderWording(Modality modality) => modality switch
    {
        Modality.XR => "X-ray",
        Modality.CT => "CT",
        Modality.MR => "MRI",
        Modality.NM => "bone scan",
        Modality.US => "ultrasound",
        _ => "imaging",
    };
}
