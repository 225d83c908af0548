namespace BmesCds.Clinical.ReportText;

/// <summary>
/// The words of each finding, as radiologists write them (British and American spelling, abbreviations), lower case,
/// hyphens and other punctuation read as spaces ("band-like" is "band like"). One phrase can be two findings:
/// "crescent" is an osteonecrosis word and makes an X-ray abnormal. Longer phrases are matched first.
/// </summary>
internal static class FindingTerms
{
    private static readonly ReportFinding[] On = [ReportFinding.Osteonecrosis];
    private static readonly ReportFinding[] OnAndAbnormal = [ReportFinding.Osteonecrosis, ReportFinding.Abnormal];
    private static readonly ReportFinding[] Edema = [ReportFinding.MarrowEdema];
    private static readonly ReportFinding[] Normal = [ReportFinding.Normal];
    private static readonly ReportFinding[] Abnormal = [ReportFinding.Abnormal];

    public static IReadOnlyList<Phrase<ReportFinding[]>> All { get; } = Phrase<ReportFinding[]>.LongestFirst(
    [
        ("osteonecrosis", On), ("osteonecroses", On), ("osteonecrotic", On), ("avascular necrosis", On),
        ("aseptic necrosis", On), ("ischemic necrosis", On), ("ischaemic necrosis", On), ("bone necrosis", On),
        ("necrosis", On), ("necrotic", On), ("avn", On), ("onfh", On), ("double line", On), ("band like", On),
        ("low signal band", On), ("subchondral band", On), ("bone infarct", On), ("bone infarcts", On),
        ("bone infarction", On), ("medullary infarct", On),
        ("crescent", OnAndAbnormal), ("collapse", OnAndAbnormal), ("collapsed", OnAndAbnormal), ("collapsing", OnAndAbnormal),
        ("flattening", [ReportFinding.Flattening]), ("flattened", [ReportFinding.Flattening]),
        ("bone marrow edema", Edema), ("bone marrow oedema", Edema), ("marrow edema", Edema), ("marrow oedema", Edema),
        ("edema like marrow", Edema), ("oedema like marrow", Edema), ("femoral head edema", Edema), ("femoral head oedema", Edema),
        ("transient osteoporosis", Edema), ("bme", Edema), ("bmes", Edema), ("bmo", Edema),
        ("normal", Normal), ("unremarkable", Normal), ("no acute", Normal), ("within normal limits", Normal),
        ("no abnormality", Normal), ("no abnormalities", Normal), ("no bony abnormality", Normal), ("no bone abnormality", Normal),
        ("no significant abnormality", Normal),
        ("fracture", Abnormal), ("fractures", Abnormal), ("fractured", Abnormal), ("osteoarthritis", Abnormal),
        ("osteoarthrosis", Abnormal), ("joint space narrowing", Abnormal), ("narrowing of the joint space", Abnormal),
        ("equivocal", [ReportFinding.Equivocal]), ("indeterminate", [ReportFinding.Equivocal]),
    ]);
}
