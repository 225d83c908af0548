using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Findings;

/// <summary>
/// Where a Condition is (BMES-RULES.md 7a, C2 and C3): the joint and side from its code's attributes, then its bodySite
/// codings (body-sites) and texts, then its code's text. Elsewhere: the Condition names a site outside the hip, knee
/// and ankle (shoulder, spine, wrist ...) and concerns that site only. A Condition that names no site, or a site this
/// reader cannot place, is "joint unknown" and counts wherever a missing joint counts (fail safe).
/// </summary>
internal sealed record ConditionSite(Joint Joint, Side Side, bool Elsewhere, string? SiteName)
{
    // Words that place a Condition outside the lower limb for certain.
    private static readonly HashSet<string> OtherSites = new(StringComparer.Ordinal)
    {
        "shoulder", "shoulders", "humerus", "humeral", "humeri", "elbow", "elbows", "wrist", "wrists", "hand", "hands",
        "finger", "fingers", "spine", "spinal", "vertebra", "vertebrae", "vertebral", "lumbar", "thoracic", "cervical",
        "jaw", "mandible", "mandibular", "maxilla", "lunate", "scaphoid", "capitate", "radius", "ulna", "clavicle",
        "scapula", "rib", "ribs", "sternum", "skull", "toe", "toes", "metatarsal", "metatarsals",
    };

    // Words that name one of the judged joints (the femoral head is the hip, the femoral condyles the knee).
    private static readonly Dictionary<string, Joint> JointWords = new(StringComparer.Ordinal)
    {
        ["hip"] = Joint.Hip,
        ["hips"] = Joint.Hip,
        ["acetabulum"] = Joint.Hip,
        ["acetabular"] = Joint.Hip,
        ["trochanter"] = Joint.Hip,
        ["trochanteric"] = Joint.Hip,
        ["knee"] = Joint.Knee,
        ["knees"] = Joint.Knee,
        ["condyle"] = Joint.Knee,
        ["condyles"] = Joint.Knee,
        ["condylar"] = Joint.Knee,
        ["tibia"] = Joint.Knee,
        ["tibial"] = Joint.Knee,
        ["patella"] = Joint.Knee,
        ["patellar"] = Joint.Knee,
        ["ankle"] = Joint.Ankle,
        ["ankles"] = Joint.Ankle,
        ["talus"] = Joint.Ankle,
        ["talar"] = Joint.Ankle,
        ["malleolus"] = Joint.Ankle,
        ["malleolar"] = Joint.Ankle,
    };

    // Lower-limb words that name no joint by themselves ("femur", "leg"): such a site is not "elsewhere".
    private static readonly HashSet<string> LowerLimb = new(StringComparer.Ordinal)
    {
        "femur", "femoral", "femora", "pelvis", "pelvic", "leg", "legs", "thigh", "lower", "limb", "fibula", "fibular",
    };

    public static ConditionSite Of(ConceptEntry concept, Condition condition, Vocabulary vocabulary)
    {
        var side = SideOf(concept, condition, vocabulary);
        if (ImagingVocabulary.ParseJoint(concept.Attributes.Joint) is { } coded)
        {
            return new ConditionSite(coded, side, false, null);
        }

        foreach (var coding in BodySiteCodings.Of(condition.BodySite))
        {
            if (CodeKey.From(coding) is { } key && ImagingVocabulary.ParseJoint(vocabulary.BodySites.Find(key)?.Attributes.Joint) is { } site)
            {
                return new ConditionSite(site, side, false, null);
            }
        }

        // The bodySite's words first, then the code's: the first text that places the Condition decides.
        foreach (var text in condition.BodySite.SelectMany(FhirFacts.Texts).Concat(FhirFacts.Texts(condition.Code)))
        {
            if (Place(text) is { } placed)
            {
                return placed with { Side = side };
            }
        }

        return new ConditionSite(Joint.None, side, false, null);
    }

    private static Side SideOf(ConceptEntry concept, Condition condition, Vocabulary vocabulary)
    {
        if (ImagingVocabulary.ParseSide(concept.Attributes.Side) is { } side)
        {
            return side;
        }

        var found = Side.Unknown;
        foreach (var coding in BodySiteCodings.Of(condition.BodySite))
        {
            if (CodeKey.From(coding) is { } key && ImagingVocabulary.ParseSide(vocabulary.BodySites.Find(key)?.Attributes.Side) is { } site)
            {
                found = ImagingVocabulary.Combine(found, site);
            }
        }

        foreach (var text in condition.BodySite.Select(site => site.Text).Append(condition.Code?.Text))
        {
            if (found == Side.Unknown && ImagingTextParser.Parse(text).Side is { } written)
            {
                found = written;
            }
        }

        return found;
    }

    /// <summary>What a text says about the site: one judged joint, "lower limb, joint not told", elsewhere, or nothing.</summary>
    private static ConditionSite? Place(string text)
    {
        var words = Words(text);
        var named = words.Select(word => JointWords.GetValueOrDefault(word)).Where(joint => joint != Joint.None).Distinct().ToList();
        var femoralHead = words.Any(word => word is "femoral" or "femur") && words.Any(word => word is "head" or "neck");
        if (femoralHead && !named.Contains(Joint.Hip))
        {
            named.Add(Joint.Hip);
        }

        return named.Count switch
        {
            1 => new ConditionSite(named[0], Side.Unknown, false, null),
            > 1 => new ConditionSite(Joint.None, Side.Unknown, false, null),
            _ when words.Any(LowerLimb.Contains) => new ConditionSite(Joint.None, Side.Unknown, false, null),
            _ when words.Any(OtherSites.Contains) => new ConditionSite(Joint.None, Side.Unknown, true, text),
            _ => null,
        };
    }

    private static string[] Words(string text) =>
        text.ToLowerInvariant().Split([' ', ',', '.', ';', ':', '-', '/', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
}
