namespace BmesCds.Clinical.ReportText;

/// <summary>The kinds of finding the rules read in report text (BMES-RULES.md section 4, XR_* / MRI_RESULT / ON_IMAGING).</summary>
public enum ReportFinding
{
    /// <summary>"osteonecrosis", "AVN", "ONFH", "double line", "band-like", "crescent", "collapse", "necrotic" ...</summary>
    Osteonecrosis,

    /// <summary>"flattening" of the femoral head: ON_IMAGING, but not an MRI osteonecrosis word.</summary>
    Flattening,

    /// <summary>"bone marrow edema / oedema", "marrow edema pattern", "transient osteoporosis" ...</summary>
    MarrowEdema,

    /// <summary>"normal", "unremarkable", "no acute" ...</summary>
    Normal,

    /// <summary>X-ray abnormal: "crescent", "collapse", "fracture", "osteoarthritis", "joint space narrowing".</summary>
    Abnormal,

    /// <summary>"equivocal", "indeterminate".</summary>
    Equivocal,
}

/// <summary>How a report states a finding, weakest first: a stronger statement anywhere in the text wins.</summary>
public enum Certainty
{
    /// <summary>Not mentioned, or mentioned only in a question.</summary>
    Absent,

    /// <summary>Mentioned and negated: "no AVN", "osteonecrosis is not seen", "AVN: none".</summary>
    Negated,

    /// <summary>Mentioned as a possibility: "possible AVN", "AVN cannot be excluded", "suspicious for osteonecrosis".</summary>
    Possible,

    /// <summary>Stated.</summary>
    Definite,
}
