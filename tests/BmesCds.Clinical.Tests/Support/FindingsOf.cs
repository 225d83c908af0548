using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Imaging;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Tests.Support;

/// <summary>The findings (BMES-RULES.md section 4) of one joint and side, computed by the real engine classes.</summary>
internal static class FindingsOf
{
    private static readonly Vocabulary Vocabulary = new(Fixtures.Terminology);

    public static JointFindings LeftHip(params Resource[] record) => Compute(Make.PatientView(Make.Patient(), record), Joint.Hip, Side.Left, null);

    public static JointFindings At(Joint joint, Side side, params Resource[] record) => Compute(Make.PatientView(Make.Patient(), record), joint, side, null);

    public static JointFindings Compute(EvaluationRequest request, Joint joint, Side side, ServiceRequest? order)
    {
        var options = new ClinicalOptions();
        var facts = PatientFacts.Build(request, Vocabulary, options);
        var kind = order is null ? null : Vocabulary.Classifier.Classify(order, facts.FindCondition);
        return JointFindings.Compute(facts, new Target(joint, side, order, kind), Vocabulary, options);
    }
}
