namespace BmesCds.Clinical.Terminology;

/// <summary>
/// Canonical URLs of the project's FHIR artifacts (fhir-profiles/). C# names artifacts by URL only;
/// the codes themselves live in the ValueSet and CodeSystem files.
/// </summary>
public static class BmesCanonicals
{
    public const string Base = "https://bmes-cds.org/fhir";

    public const string RuleCodeSystem = Base + "/CodeSystem/bmes-cds-rule";
    public const string OverrideReasonCodeSystem = Base + "/CodeSystem/bmes-override-reason";
    public const string ImagingFindingCodeSystem = Base + "/CodeSystem/bmes-imaging-finding";

    public const string ConceptAttributesExtension = Base + "/StructureDefinition/bmes-concept-attributes";
    public const string LateralityExtension = Base + "/StructureDefinition/bmes-laterality";

    /// <summary>Profile of the MRI a card proposes (status draft, MRI-without-contrast code, bodySite, reason, note).</summary>
    public const string MriServiceRequestProfile = Base + "/StructureDefinition/BmesMriServiceRequest";

    /// <summary>Profile of the problem-list entry the osteonecrosis-findings card proposes.</summary>
    public const string OsteonecrosisConditionProfile = Base + "/StructureDefinition/BmesOsteonecrosisCondition";

    /// <summary>Profile of a coded imaging result (bmes-imaging-finding) an EHR can send instead of report text.</summary>
    public const string ImagingFindingProfile = Base + "/StructureDefinition/BmesImagingFinding";

    public const string JointPain = Base + "/ValueSet/joint-pain";
    public const string Osteonecrosis = Base + "/ValueSet/osteonecrosis";
    public const string OsteonecrosisRiskFactors = Base + "/ValueSet/osteonecrosis-risk-factors";
    public const string SystemicGlucocorticoids = Base + "/ValueSet/systemic-glucocorticoids";
    public const string Pregnancy = Base + "/ValueSet/pregnancy";
    public const string PregnancyStatusPregnant = Base + "/ValueSet/pregnancy-status-pregnant";
    public const string XrayNormal = Base + "/ValueSet/xray-normal";
    public const string XrayAbnormal = Base + "/ValueSet/xray-abnormal";
    public const string InfectionRedFlags = Base + "/ValueSet/infection-red-flags";
    public const string MriCaution = Base + "/ValueSet/mri-caution";
    public const string JointReplacement = Base + "/ValueSet/joint-replacement";
    public const string BoneMalignancy = Base + "/ValueSet/bone-malignancy";
    public const string ImagingOrders = Base + "/ValueSet/imaging-orders";
    public const string BodySites = Base + "/ValueSet/body-sites";
    public const string LabCodes = Base + "/ValueSet/lab-codes";

    // Bound by the profiles (validation), not read by the engine: not in RequiredValueSets.
    public const string MriWithoutContrast = Base + "/ValueSet/mri-without-contrast";
    public const string Laterality = Base + "/ValueSet/laterality";
    public const string ImagingFinding = Base + "/ValueSet/imaging-finding";

    /// <summary>Every ValueSet the service needs; start-up fails when one is missing.</summary>
    public static IReadOnlyList<string> RequiredValueSets { get; } =
    [
        JointPain, Osteonecrosis, OsteonecrosisRiskFactors, SystemicGlucocorticoids, Pregnancy, PregnancyStatusPregnant,
        XrayNormal, XrayAbnormal, InfectionRedFlags, MriCaution, JointReplacement, BoneMalignancy, ImagingOrders,
        BodySites, LabCodes,
    ];

    /// <summary>Every CodeSystem the service needs; start-up fails when one is missing.</summary>
    public static IReadOnlyList<string> RequiredCodeSystems { get; } =
        [RuleCodeSystem, OverrideReasonCodeSystem, ImagingFindingCodeSystem];
}
