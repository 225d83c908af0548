using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Imaging;

namespace BmesCds.Clinical.Rules;

internal enum Verdict
{
    /// <summary>Every rule may speak.</summary>
    Speak,

    /// <summary>First X-ray of the hip: radiographs first is right, but osteonecrosis-risk still speaks.</summary>
    OnlyOsteonecrosisRisk,

    Silent,
}

/// <summary>
/// When to stay silent (BMES-RULES.md section 5), checked before any rule, per judged order or joint. Silence is the
/// default answer; each reason is one line so a reviewer can hold it against the specification.
/// </summary>
internal static class Silences
{
    public static (Verdict Verdict, Silence? Silence) Check(JointFindings findings, HookKind hook)
    {
        var target = findings.Target;
        if (!findings.Adult)
        {
            return Silent(SilenceReason.UnderAge, "age under the adult limit");
        }

        if (findings.Pain.Count == 0)
        {
            return Silent(SilenceReason.NoPain, "no pain at that joint (no condition, no order reason)");
        }

        if (findings.Arthroplasty.Count > 0)
        {
            return Silent(SilenceReason.Arthroplasty, "artificial joint at that joint and side");
        }

        if (findings.Inflammation.Count > 0)
        {
            return Silent(SilenceReason.Inflammation, "inflammation or infection red flag");
        }

        if (findings.BoneMalignancy.Count > 0)
        {
            return Silent(SilenceReason.BoneMalignancy, "bone malignancy");
        }

        // A proposal on patient-view would be a follow-up MRI of a joint with known osteonecrosis.
        if (findings.OsteonecrosisDiagnosis.Count > 0 && (hook == HookKind.PatientView || target.OrderModality is Modality.XR or Modality.MR))
        {
            return Silent(SilenceReason.KnownOsteonecrosis, "known osteonecrosis at that joint: follow-up imaging is right");
        }

        if (target.OrderModality == Modality.XR && !findings.XrayDone && findings.Pregnant.Count == 0)
        {
            return target.Joint == Joint.Hip
                ? (Verdict.OnlyOsteonecrosisRisk, new Silence(SilenceReason.FirstXray, "first X-ray of the hip: radiographs first (only osteonecrosis-risk may speak)"))
                : Silent(SilenceReason.FirstXray, "first X-ray of the joint: radiographs first");
        }

        return (Verdict.Speak, null);
    }

    private static (Verdict, Silence?) Silent(SilenceReason reason, string why) => (Verdict.Silent, new Silence(reason, why));
}
