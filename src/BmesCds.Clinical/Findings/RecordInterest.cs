using System.Collections.Frozen;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Records;
using BmesCds.Clinical.Terminology;

namespace BmesCds.Clinical.Findings;

/// <summary>
/// A resource as the record's JSON walk sees it before parsing it: its coded elements, read on demand. Implemented
/// over raw JSON by the protocol layer; the clinical side only asks questions, so it needs no JSON library.
/// </summary>
public interface IResourceView
{
    /// <summary>Whether the element (a CodeableConcept or an array of them, see <see cref="RecordInterest.CodedElements"/>) has any coding.</summary>
    bool HasCoding(string element);

    /// <summary>Whether any coding of the element is in <paramref name="codes"/>.</summary>
    bool AnyCodingIn(string element, CodeLookup codes);

    /// <summary>Whether any coding of the element has one of these codes, whatever its system.</summary>
    bool AnyCodeIn(string element, FrozenSet<string> codes);

    /// <summary>Whether the element's text, or one of its codings' displays, passes <paramref name="test"/>.</summary>
    bool AnyText(string element, TextTest test);

    /// <summary>Whether the element is present (see <see cref="RecordInterest.PresenceElements"/>).</summary>
    bool Has(string element);
}

/// <summary>A question about one text (a CodeableConcept's text or a coding's display), asked without allocating.</summary>
public delegate bool TextTest(ReadOnlySpan<char> text);

/// <summary>
/// Which resources the findings read, declared in one place beside them (PatientFacts reads Conditions, Observations,
/// ImagingStudy, DiagnosticReport, ServiceRequest, medications and Devices): a hook carries hundreds of resources, and
/// only these are parsed into FHIR objects. A value set that a finding starts reading must be added here, or the
/// resources it would match never reach the engine; RecordInterestTests fails until every value set of the
/// vocabulary is either declared here or named as not gating relevance.
/// </summary>
public sealed class RecordInterest
{
    /// <summary>The CodeableConcept elements whose codings and texts the questions below read.</summary>
    public static IReadOnlyList<string> CodedElements { get; } = ["code", "category", "valueCodeableConcept", "medicationCodeableConcept", "type"];

    /// <summary>The elements whose mere presence the questions below read.</summary>
    public static IReadOnlyList<string> PresenceElements { get; } = ["imagingStudy", "medicationReference"];

    /// <summary>Condition value sets: pain, osteonecrosis, risk factors, pregnancy, red flags, MRI caution, arthroplasty, malignancy.</summary>
    public static IReadOnlyList<string> ConditionValueSets { get; } =
    [
        BmesCanonicals.JointPain, BmesCanonicals.Osteonecrosis, BmesCanonicals.OsteonecrosisRiskFactors, BmesCanonicals.Pregnancy,
        BmesCanonicals.InfectionRedFlags, BmesCanonicals.MriCaution, BmesCanonicals.JointReplacement, BmesCanonicals.BoneMalignancy,
    ];

    /// <summary>Observation value sets (code or valueCodeableConcept): labs, X-ray results, imaging findings, imaging studies.</summary>
    public static IReadOnlyList<string> ObservationValueSets { get; } =
    [
        BmesCanonicals.LabCodes, BmesCanonicals.XrayNormal, BmesCanonicals.XrayAbnormal, BmesCanonicals.ImagingFindingCodeSystem,
        BmesCanonicals.ImagingOrders,
    ];

    /// <summary>Every value set that decides whether some resource is read.</summary>
    public static IReadOnlyList<string> GatingValueSets { get; } =
    [
        .. ConditionValueSets, .. ObservationValueSets, BmesCanonicals.ImagingOrders, BmesCanonicals.MriCaution,
        BmesCanonicals.SystemicGlucocorticoids,
    ];

    /// <summary>Value sets the findings use that do not decide whether a resource is read (they read inside one already chosen).</summary>
    public static IReadOnlyList<string> NotGatingValueSets { get; } =
    [
        BmesCanonicals.BodySites, BmesCanonicals.PregnancyStatusPregnant, BmesCanonicals.RuleCodeSystem,
        BmesCanonicals.OverrideReasonCodeSystem,
    ];

    private static readonly FrozenSet<string> ImagingReportCategories = new[]
    {
        "RAD", "RX", "CT", "NMR", "NMS", "RUS", "XRC", "CUS", "OUS", "VUS", "imaging", "LP29684-5",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> ImagingCategory = new[] { "imaging" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Types = new[]
    {
        "Patient", "ImagingStudy", "Condition", "Observation", "DiagnosticReport", "ServiceRequest", "MedicationRequest",
        "MedicationStatement", "MedicationAdministration", "Medication", "Device",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly CodeLookup _conditions;
    private readonly CodeLookup _observations;
    private readonly CodeLookup _imagingOrders;
    private readonly CodeLookup _mriCaution;
    private readonly CodeLookup _glucocorticoidCodes;
    private readonly TextTest _namesGlucocorticoid;

    public RecordInterest(BmesTerminology terminology)
    {
        _conditions = new CodeLookup(ConditionValueSets.Select(url => terminology[url]));
        _observations = new CodeLookup(ObservationValueSets.Select(url => terminology[url]));
        _imagingOrders = new CodeLookup([terminology[BmesCanonicals.ImagingOrders]]);
        _mriCaution = new CodeLookup([terminology[BmesCanonicals.MriCaution]]);
        _glucocorticoidCodes = new CodeLookup([terminology[BmesCanonicals.SystemicGlucocorticoids]]);
        _namesGlucocorticoid = new GlucocorticoidMatcher(terminology).NamesIngredient;
    }

    /// <summary>Whether resources of this type can ever matter: any other type is skipped without looking inside.</summary>
    public static bool IsReadType(string resourceType) => Types.Contains(resourceType);

    /// <summary>Whether the rules read this resource.</summary>
    public bool IsRelevant<TView>(string resourceType, scoped in TView resource)
        where TView : IResourceView, allows ref struct => resourceType switch
        {
            "Patient" or "ImagingStudy" => true,
            "Condition" => resource.AnyCodingIn("code", _conditions),
            "Observation" => resource.AnyCodingIn("code", _observations) || resource.AnyCodingIn("valueCodeableConcept", _observations)
                || resource.AnyCodeIn("category", ImagingCategory),
            "DiagnosticReport" => !resource.HasCoding("category") || resource.AnyCodeIn("category", ImagingReportCategories)
                || resource.Has("imagingStudy") || IsImagingOrder(resource),
            "ServiceRequest" => IsImagingOrder(resource),
            // A medication given by reference is judged once the Medication is found; keep it until then.
            "MedicationRequest" or "MedicationStatement" or "MedicationAdministration" =>
                resource.Has("medicationReference") || IsGlucocorticoid(resource, "medicationCodeableConcept"),
            "Medication" => IsGlucocorticoid(resource, "code"),
            "Device" => resource.AnyCodingIn("type", _mriCaution),
            _ => false,
        };

    private bool IsImagingOrder<TView>(scoped in TView resource)
        where TView : IResourceView, allows ref struct =>
        resource.AnyCodingIn("code", _imagingOrders) || resource.AnyText("code", NamesModality);

    private bool IsGlucocorticoid<TView>(scoped in TView resource, string element)
        where TView : IResourceView, allows ref struct =>
        resource.AnyCodingIn(element, _glucocorticoidCodes) || resource.AnyText(element, _namesGlucocorticoid);

    private static readonly TextTest NamesModality = ImagingTextParser.NamesModality;
}
