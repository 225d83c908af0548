using BmesCds.Clinical.Imaging;

namespace BmesCds.Clinical.Findings;

/// <summary>Which judged joints an unreadable fact could have mattered to.</summary>
internal enum UnreadableScope
{
    /// <summary>Every joint (a lab: INFLAMMATION, LABS_NORMAL).</summary>
    AnyJoint,

    /// <summary>The hip only (a medication: ON_RISK, read by the hip rules).</summary>
    Hip,

    /// <summary>The joint and side of the record (an imaging result, a pain condition).</summary>
    JointAndSide,
}

/// <summary>
/// A fact the rules would have used but could not read (BMES-RULES.md 7a, C7): it is left out, and a card about the
/// joint it concerns says so. Description names the record and what was wrong, e.g. "CRP, 2026-11-20: unit 'mg/xx'
/// not understood".
/// </summary>
internal sealed record UnreadableFact(string Description, UnreadableScope Scope, Joint Joint = Joint.None, Side Side = Side.Unknown)
{
    public bool Concerns(Joint joint, Side side) => Scope switch
    {
        UnreadableScope.AnyJoint => true,
        UnreadableScope.Hip => joint == Joint.Hip,
        _ => Joint == joint && ImagingVocabulary.SidesMatch(Side, side),
    };
}
