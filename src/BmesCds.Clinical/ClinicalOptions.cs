using System.Diagnostics.CodeAnalysis;

namespace BmesCds.Clinical;

/// <summary>
/// Thresholds, windows and card data of the clinical rules (BMES-RULES.md sections 4-6), bound by the host from the
/// "Clinical" configuration section. Every default is the one the specification gives.
/// </summary>
public sealed class ClinicalOptions
{
    public const string SectionName = "Clinical";

    /// <summary>X-ray of the joint counts for XR_NORMAL / XR_ABNORMAL / XR_NO_RESULT and "first X-ray" (days).</summary>
    public int XrayWindowDays { get; set; } = 90;

    /// <summary>A repeat X-ray within this many days of a normal one is a repeat (rule replace-with-mri, info).</summary>
    public int RepeatXrayWindowDays { get; set; } = 42;

    /// <summary>An MRI performed this recently counts as MRI_RECENT (days).</summary>
    public int MriRecentDays { get; set; } = 42;

    /// <summary>MRI_RESULT looks back this many weeks.</summary>
    public int MriResultWeeks { get; set; } = 12;

    /// <summary>ON_IMAGING looks back this many months; also "the other hip has an MRI" for osteonecrosis-findings.</summary>
    public int OsteonecrosisImagingMonths { get; set; } = 12;

    /// <summary>CRP / ESR / WBC and infection conditions count for INFLAMMATION and LABS_NORMAL (days).</summary>
    public int LabWindowDays { get; set; } = 30;

    /// <summary>Body temperature counts for INFLAMMATION (days).</summary>
    public int TemperatureWindowDays { get; set; } = 7;

    /// <summary>Systemic glucocorticoid exposure counts as an ON risk factor this long after it (years).</summary>
    public int GlucocorticoidLookbackYears { get; set; } = 2;

    /// <summary>Patients younger than this are never judged (years).</summary>
    public int AdultAgeYears { get; set; } = 18;

    /// <summary>Pain must have lasted this long for mri-recommended (days).</summary>
    public int MinimumPainDays { get; set; } = 14;

    /// <summary>CRP above this is high when the lab gives no interpretation or range (mg/L).</summary>
    public decimal CrpHighMgPerL { get; set; } = 10m;

    /// <summary>ESR above this is high for men (and unknown sex) without interpretation or range (mm/h).</summary>
    public decimal EsrHighMenMmPerHour { get; set; } = 20m;

    /// <summary>ESR above this is high for women without interpretation or range (mm/h).</summary>
    public decimal EsrHighWomenMmPerHour { get; set; } = 30m;

    /// <summary>WBC above this is high without interpretation or range (10^9/L).</summary>
    public decimal WbcHigh10e9PerL { get; set; } = 11m;

    /// <summary>Body temperature at or above this is fever (degrees Celsius).</summary>
    public decimal FeverCelsius { get; set; } = 38.0m;

    private readonly HashSet<string> _disabledRules = new(StringComparer.Ordinal);

    /// <summary>Rule ids switched off at this site (the host's `Rules:Disabled`): they are never run, so they neither
    /// make nor join a card. A method, not a property, so that the "Clinical" section cannot bind a second name for it.</summary>
    public IReadOnlyCollection<string> DisabledRules => _disabledRules;

    public ClinicalOptions DisableRules(IEnumerable<string> ruleIds)
    {
        _disabledRules.UnionWith(ruleIds);
        return this;
    }

    public bool IsDisabled(string ruleId) => _disabledRules.Contains(ruleId);

    /// <summary>The card's `source.label`, named in the notes of proposed resources. The host sets it from its one
    /// setting (`Cards:SourceLabel`) with <see cref="UseSourceLabel"/>; not bound from the "Clinical" section.</summary>
    public string SourceLabel { get; private set; } = "BMES Decision Support";

    public ClinicalOptions UseSourceLabel(string label)
    {
        SourceLabel = label;
        return this;
    }

    /// <summary>
    /// What is wrong with the windows and thresholds, as a sentence naming the setting and its range; null when every
    /// value is usable. Ranges are wide (a site may tune them), but a zero or negative window or threshold would silently
    /// switch a finding off or make every value abnormal.
    /// </summary>
    public string? Problem()
    {
        (string Name, int Value, int Max)[] windows =
        [
            (nameof(XrayWindowDays), XrayWindowDays, 3650),
            (nameof(RepeatXrayWindowDays), RepeatXrayWindowDays, 3650),
            (nameof(MriRecentDays), MriRecentDays, 3650),
            (nameof(MriResultWeeks), MriResultWeeks, 520),
            (nameof(OsteonecrosisImagingMonths), OsteonecrosisImagingMonths, 120),
            (nameof(LabWindowDays), LabWindowDays, 3650),
            (nameof(TemperatureWindowDays), TemperatureWindowDays, 365),
            (nameof(GlucocorticoidLookbackYears), GlucocorticoidLookbackYears, 20),
            (nameof(AdultAgeYears), AdultAgeYears, 30),
            (nameof(MinimumPainDays), MinimumPainDays, 365),
        ];
        foreach (var (name, value, max) in windows)
        {
            if (value < 1 || value > max)
            {
                return $"{SectionName}:{name} must be from 1 to {max}, not {value}.";
            }
        }

        (string Name, decimal Value, decimal Min, decimal Max)[] thresholds =
        [
            (nameof(CrpHighMgPerL), CrpHighMgPerL, 0.1m, 500m),
            (nameof(EsrHighMenMmPerHour), EsrHighMenMmPerHour, 1m, 200m),
            (nameof(EsrHighWomenMmPerHour), EsrHighWomenMmPerHour, 1m, 200m),
            (nameof(WbcHigh10e9PerL), WbcHigh10e9PerL, 1m, 100m),
            (nameof(FeverCelsius), FeverCelsius, 36m, 43m),
        ];
        foreach (var (name, value, min, max) in thresholds)
        {
            if (value < min || value > max)
            {
                return $"{SectionName}:{name} must be from {min.ToString(System.Globalization.CultureInfo.InvariantCulture)} to {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}, not {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.";
            }
        }

        return GuidelineLinks.SelectMany(rule => rule.Value.Select(link => (Rule: rule.Key, Link: link)))
            .FirstOrDefault(entry => string.IsNullOrWhiteSpace(entry.Link.Label) || entry.Link.Url is not { IsAbsoluteUri: true }) is { Rule: { } rule }
            ? $"{SectionName}:GuidelineLinks:{rule}: every link needs a Label and an absolute Url."
            : null;
    }

    /// <summary>
    /// Guideline links per rule id, replacing <see cref="DefaultGuidelineLinks"/> for the rule ids it names.
    /// </summary>
    [SuppressMessage("Usage", "CA2227:Collection properties should be read only", Justification = "Bound from configuration.")]
    public Dictionary<string, List<GuidelineLink>> GuidelineLinks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The ACR Appropriateness Criteria behind each rule (section 1 and Sources of BMES-RULES.md).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<GuidelineLink>> DefaultGuidelineLinks { get; } = BuildDefaults();

    /// <summary>The links of a rule: configured ones when the configuration names the rule, else the defaults.</summary>
    public IReadOnlyList<GuidelineLink> LinksFor(string ruleId) =>
        GuidelineLinks.TryGetValue(ruleId, out var configured)
            ? configured
            : DefaultGuidelineLinks.GetValueOrDefault(ruleId) ?? [];

    private static Dictionary<string, IReadOnlyList<GuidelineLink>> BuildDefaults()
    {
        // DOIs are stable; the ACR search page is the entry to every current Appropriateness Criteria topic.
        var osteonecrosis = new GuidelineLink("ACR Appropriateness Criteria: Osteonecrosis, 2022 update (JACR)", "https://doi.org/10.1016/j.jacr.2022.09.009");
        var osteonecrosisHip = new GuidelineLink("ACR Appropriateness Criteria: Osteonecrosis of the Hip (JACR 2016)", "https://doi.org/10.1016/j.jacr.2015.10.033");
        var criteria = new GuidelineLink("ACR Appropriateness Criteria: Chronic Hip Pain, Acute Hip Pain, Chronic Knee Pain", "https://acsearch.acr.org/list");
        var pregnancy = new GuidelineLink("ACR Practice Parameters (imaging of pregnant patients)", "https://www.acr.org/Clinical-Resources/Clinical-Tools-and-Reference/Practice-Parameters-and-Technical-Standards");
        return new Dictionary<string, IReadOnlyList<GuidelineLink>>(StringComparer.Ordinal)
        {
            ["osteonecrosis-findings"] = [osteonecrosis, osteonecrosisHip],
            ["early-osteonecrosis-not-excluded"] = [osteonecrosis, osteonecrosisHip],
            ["osteonecrosis-risk"] = [osteonecrosis, osteonecrosisHip],
            ["pregnancy-avoid-ionizing"] = [pregnancy, criteria],
            ["replace-with-mri"] = [criteria],
            ["mri-without-contrast"] = [osteonecrosis, criteria],
            ["mri-recommended"] = [criteria],
        };
    }
}

/// <summary>A guideline link: its label and absolute URL.</summary>
public sealed class GuidelineLink
{
    public GuidelineLink()
    {
    }

    public GuidelineLink(string label, string url)
    {
        Label = label;
        Url = new Uri(url, UriKind.Absolute);
    }

    /// <summary>The text of the link on the card.</summary>
    public string Label { get; set; } = string.Empty;

    /// <summary>The absolute URL it opens.</summary>
    public Uri? Url { get; set; }
}
