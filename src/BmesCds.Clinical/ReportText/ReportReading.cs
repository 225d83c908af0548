namespace BmesCds.Clinical.ReportText;

/// <summary>
/// What a report's text says, finding by finding, at the strongest certainty stated anywhere in it, and what that
/// means for the rules (BMES-RULES.md section 4 and 7a, C4/C5): the X-ray result, the MRI result class and ON_IMAGING.
/// </summary>
public sealed record ReportReading(
    Certainty Osteonecrosis,
    Certainty Flattening,
    Certainty MarrowEdema,
    Certainty Normal,
    Certainty Abnormal,
    Certainty Equivocal)
{
    public static ReportReading Nothing { get; } = new(Certainty.Absent, Certainty.Absent, Certainty.Absent, Certainty.Absent, Certainty.Absent, Certainty.Absent);

    /// <summary>ON_IMAGING: osteonecrosis words or flattening, stated or possible ("cannot be excluded" keeps them).</summary>
    public bool OsteonecrosisFeatures => Osteonecrosis >= Certainty.Possible || Flattening >= Certainty.Possible;

    /// <summary>An X-ray abnormal: an abnormal word, an osteonecrosis word or flattening, stated (a possible one is equivocal, not abnormal).</summary>
    public bool XrayAbnormal => Abnormal == Certainty.Definite || Osteonecrosis == Certainty.Definite || Flattening == Certainty.Definite;

    /// <summary>An X-ray normal: a normal word and nothing abnormal stated.</summary>
    public bool XrayNormal => !XrayAbnormal && Normal >= Certainty.Possible;

    /// <summary>The text's `bmes-imaging-finding` class for an MRI: stated ON words win, a possible one is equivocal.</summary>
    public string MriClass =>
        Osteonecrosis == Certainty.Definite ? "osteonecrosis-features"
        : Osteonecrosis == Certainty.Possible ? "equivocal"
        : MarrowEdema == Certainty.Definite ? "bme-pattern"
        : MarrowEdema == Certainty.Possible || Equivocal >= Certainty.Possible ? "equivocal"
        : "other";

    /// <summary>"normal", "abnormal" or "none": the X-ray result the text gives.</summary>
    public string XrayClass => XrayAbnormal ? "abnormal" : XrayNormal ? "normal" : "none";

    public bool SaysAnything => OsteonecrosisFeatures || XrayAbnormal || XrayNormal || MarrowEdema >= Certainty.Possible || Equivocal >= Certainty.Possible;

    /// <summary>The stronger statement of each finding.</summary>
    public ReportReading With(Certainty[] sentence) => new(
        Max(Osteonecrosis, sentence[(int)ReportFinding.Osteonecrosis]),
        Max(Flattening, sentence[(int)ReportFinding.Flattening]),
        Max(MarrowEdema, sentence[(int)ReportFinding.MarrowEdema]),
        Max(Normal, sentence[(int)ReportFinding.Normal]),
        Max(Abnormal, sentence[(int)ReportFinding.Abnormal]),
        Max(Equivocal, sentence[(int)ReportFinding.Equivocal]));

    /// <summary>The stronger statement of each finding of two readings (of two texts of one report).</summary>
    public ReportReading With(ReportReading other) => new(
        Max(Osteonecrosis, other.Osteonecrosis),
        Max(Flattening, other.Flattening),
        Max(MarrowEdema, other.MarrowEdema),
        Max(Normal, other.Normal),
        Max(Abnormal, other.Abnormal),
        Max(Equivocal, other.Equivocal));

    private static Certainty Max(Certainty a, Certainty b) => a >= b ? a : b;
}
