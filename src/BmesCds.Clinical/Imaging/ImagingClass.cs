namespace BmesCds.Clinical.Imaging;

/// <summary>Imaging modality (BMES-RULES.md section 3); XR covers DICOM CR and DX, NM is a bone scan.</summary>
public enum Modality
{
    Other,
    XR,
    CT,
    MR,
    NM,
    US,
}

/// <summary>The joints the rules know; None means "not our business".</summary>
public enum Joint
{
    None,
    Hip,
    Knee,
    Ankle,
}

public enum Side
{
    Unknown,
    Left,
    Right,
    Bilateral,
}

public enum Contrast
{
    Unknown,
    Without,
    With,
    WithoutThenWith,
}

/// <summary>What an imaging order or study is: (modality, joint, side, contrast).</summary>
public sealed record ImagingClass(Modality Modality, Joint Joint, Side Side, Contrast Contrast)
{
    public static ImagingClass Unknown { get; } = new(Modality.Other, Joint.None, Side.Unknown, Contrast.Unknown);

    public bool UsesContrast => Contrast is Contrast.With or Contrast.WithoutThenWith;

    public bool IsIonizing => Modality is Modality.XR or Modality.CT or Modality.NM;
}

/// <summary>Parsing and wording of the attribute codes (`bmes-concept-attributes`) and sides.</summary>
public static class ImagingVocabulary
{
    public static Modality? ParseModality(string? code) => code switch
    {
        "XR" => Modality.XR,
        "CT" => Modality.CT,
        "MR" => Modality.MR,
        "NM" => Modality.NM,
        "US" => Modality.US,
        _ => null,
    };

    public static Joint? ParseJoint(string? code) => code switch
    {
        "hip" => Joint.Hip,
        "knee" => Joint.Knee,
        "ankle" => Joint.Ankle,
        _ => null,
    };

    public static Side? ParseSide(string? code) => code switch
    {
        "left" => Side.Left,
        "right" => Side.Right,
        "bilateral" => Side.Bilateral,
        _ => null,
    };

    public static Contrast? ParseContrast(string? code) => code switch
    {
        "without" => Contrast.Without,
        "with" => Contrast.With,
        "without-then-with" => Contrast.WithoutThenWith,
        _ => null,
    };

    public static string Code(Joint joint) => joint switch
    {
        Joint.Hip => "hip",
        Joint.Knee => "knee",
        Joint.Ankle => "ankle",
        _ => "none",
    };

    public static string Code(Side side) => side switch
    {
        Side.Left => "left",
        Side.Right => "right",
        Side.Bilateral => "bilateral",
        _ => "unknown",
    };

    /// <summary>"left hip", "both hips", "knee" (side unknown); made once per joint and side, read by every card.</summary>
    public static string Name(Joint joint, Side side) => Names[(int)joint, (int)side];

    /// <summary>"the left hip", "both hips", "the knee": for "MRI of ..." and "pain in ...".</summary>
    public static string Phrase(Joint joint, Side side) => Phrases[(int)joint, (int)side];

    private static readonly string[,] Names = Table(MakeName);

    private static readonly string[,] Phrases = Table((joint, side) => side == Side.Bilateral ? MakeName(joint, side) : $"the {MakeName(joint, side)}");

    private static string[,] Table(Func<Joint, Side, string> make)
    {
        var joints = Enum.GetValues<Joint>();
        var sides = Enum.GetValues<Side>();
        var table = new string[joints.Length, sides.Length];
        foreach (var joint in joints)
        {
            foreach (var side in sides)
            {
                table[(int)joint, (int)side] = make(joint, side);
            }
        }

        return table;
    }

    private static string MakeName(Joint joint, Side side) => side switch
    {
        Side.Left => $"left {Code(joint)}",
        Side.Right => $"right {Code(joint)}",
        Side.Bilateral => $"both {Code(joint)}s",
        _ => Code(joint),
    };


    /// <summary>Two sides are compatible unless both are known, different, and neither is bilateral.</summary>
    public static bool SidesMatch(Side a, Side b) =>
        a == b || a is Side.Unknown or Side.Bilateral || b is Side.Unknown or Side.Bilateral;

    public static Side Other(Side side) => side switch
    {
        Side.Left => Side.Right,
        Side.Right => Side.Left,
        _ => Side.Unknown,
    };

    /// <summary>Combines two sides seen for the same joint: left + right is bilateral.</summary>
    public static Side Combine(Side a, Side b) => (a, b) switch
    {
        _ when a == b => a,
        (Side.Unknown, _) => b,
        (_, Side.Unknown) => a,
        _ => Side.Bilateral,
    };
}
