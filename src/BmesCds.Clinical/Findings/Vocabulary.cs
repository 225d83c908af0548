using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Records;
using BmesCds.Clinical.Terminology;

namespace BmesCds.Clinical.Findings;

/// <summary>The value sets the findings read, resolved once from the terminology (fails at start when one is missing).</summary>
internal sealed class Vocabulary
{
    /// <summary>408379005 "Imaging result equivocal" (xray-normal): normal for an X-ray, equivocal for an MRI.</summary>
    public const string EquivocalResultCode = "408379005";

    /// <summary>Risk-factor groups that count even when the Condition is no longer active (section 2).</summary>
    public static readonly IReadOnlySet<string> HistoryRiskGroups =
        new HashSet<string>(StringComparer.Ordinal) { "hip-fracture-dislocation", "transplant", "radiation-chemotherapy" };

    public Vocabulary(BmesTerminology terminology)
    {
        Terminology = terminology;
        JointPain = terminology[BmesCanonicals.JointPain];
        Osteonecrosis = terminology[BmesCanonicals.Osteonecrosis];
        RiskFactors = terminology[BmesCanonicals.OsteonecrosisRiskFactors];
        Pregnancy = terminology[BmesCanonicals.Pregnancy];
        PregnancyStatusPregnant = terminology[BmesCanonicals.PregnancyStatusPregnant];
        XrayNormal = terminology[BmesCanonicals.XrayNormal];
        XrayAbnormal = terminology[BmesCanonicals.XrayAbnormal];
        InfectionRedFlags = terminology[BmesCanonicals.InfectionRedFlags];
        MriCaution = terminology[BmesCanonicals.MriCaution];
        JointReplacement = terminology[BmesCanonicals.JointReplacement];
        BoneMalignancy = terminology[BmesCanonicals.BoneMalignancy];
        ImagingOrders = terminology[BmesCanonicals.ImagingOrders];
        BodySites = terminology[BmesCanonicals.BodySites];
        LabCodes = terminology[BmesCanonicals.LabCodes];
        ImagingFinding = terminology[BmesCanonicals.ImagingFindingCodeSystem];
        Rules = terminology[BmesCanonicals.RuleCodeSystem];
        OverrideReasons = terminology[BmesCanonicals.OverrideReasonCodeSystem];
        RiskFactorGroups = [.. RiskFactors.Ordered.Select(concept => concept.Attributes.Group).OfType<string>().Distinct()];
        Classifier = new ImagingClassifier(terminology);
        Glucocorticoids = new GlucocorticoidMatcher(terminology);
    }

    public BmesTerminology Terminology { get; }

    public ConceptSet JointPain { get; }

    public ConceptSet Osteonecrosis { get; }

    public ConceptSet RiskFactors { get; }

    /// <summary>The risk-factor groups in the order the value set first lists them: the order of a card's risk lines.</summary>
    public IReadOnlyList<string> RiskFactorGroups { get; }

    public ConceptSet Pregnancy { get; }

    public ConceptSet PregnancyStatusPregnant { get; }

    public ConceptSet XrayNormal { get; }

    public ConceptSet XrayAbnormal { get; }

    public ConceptSet InfectionRedFlags { get; }

    public ConceptSet MriCaution { get; }

    public ConceptSet JointReplacement { get; }

    public ConceptSet BoneMalignancy { get; }

    public ConceptSet ImagingOrders { get; }

    public ConceptSet BodySites { get; }

    public ConceptSet LabCodes { get; }

    public ConceptSet ImagingFinding { get; }

    public ConceptSet Rules { get; }

    public ConceptSet OverrideReasons { get; }

    public ImagingClassifier Classifier { get; }

    public GlucocorticoidMatcher Glucocorticoids { get; }

    /// <summary>A `bmes-imaging-finding` code as an MRI finding; subchondral-fracture alone is not read as osteonecrosis.</summary>
    public static MriFinding Finding(string code) => code switch
    {
        "bme-pattern" => MriFinding.BmePattern,
        "osteonecrosis-features" => MriFinding.OsteonecrosisFeatures,
        "equivocal" => MriFinding.Equivocal,
        _ => MriFinding.Other,
    };
}
