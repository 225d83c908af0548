using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Findings;

/// <summary>What is judged: a joint and side, and on order hooks the order with its classification.</summary>
internal sealed record Target(Joint Joint, Side Side, ServiceRequest? Order, ImagingClass? OrderClass)
{
    public bool IsOrder => Order is not null && OrderClass is not null;

    public Modality OrderModality => OrderClass?.Modality ?? Modality.Other;

    public string Name => ImagingVocabulary.Name(Joint, Side);

    public JudgedSubject Subject => new(Joint, Side, Order is { Id.Length: > 0 } order ? $"ServiceRequest/{order.Id}" : null, OrderClass);
}

/// <summary>
/// The findings of section 4 for one joint and side, each with its evidence (display and date) for the card detail.
/// </summary>
internal sealed class JointFindings
{
    private JointFindings(Target target) => Target = target;

    public Target Target { get; }

    public int? AgeYears { get; private init; }

    public bool Adult { get; private init; }

    public List<Evidence> Pain { get; } = [];

    public DateTimeOffset? PainOnset { get; private set; }

    public Side PainSide { get; private set; } = Side.Unknown;

    /// <summary>"Condition/abc" of the pain, for the proposed MRI's reasonReference.</summary>
    public string? PainConditionReference { get; private set; }

    public XrayResult Xray { get; private set; }

    /// <summary>Any X-ray of the joint in the window, with or without a result.</summary>
    public bool XrayDone { get; private set; }

    public Evidence? XrayEvidence { get; private set; }

    public DateTimeOffset? XrayDate { get; private set; }

    public List<Evidence> MriRecent { get; } = [];

    public MriFinding MriResult { get; private set; }

    public Evidence? MriEvidence { get; private set; }

    public List<Evidence> OsteonecrosisImaging { get; } = [];

    public List<ImagingEvent> OsteonecrosisImagingEvents { get; } = [];

    public List<Evidence> Inflammation { get; } = [];

    public List<Evidence> LabsNormal { get; } = [];

    public List<RiskFactor> OsteonecrosisRisk { get; } = [];

    public List<Evidence> OsteonecrosisDiagnosis { get; } = [];

    public List<Evidence> Pregnant { get; } = [];

    public List<Evidence> MriCaution { get; } = [];

    public List<Evidence> Arthroplasty { get; } = [];

    public List<Evidence> BoneMalignancy { get; } = [];

    public bool OtherHipMriWithinYear { get; private set; }

    /// <summary>Facts about this joint that could not be read and were left out; the card names them (C7).</summary>
    public List<string> Unreadable { get; } = [];

    public bool XrayNormal => Xray == XrayResult.Normal;

    /// <summary>Every finding that holds, with its evidence, in the order the card detail lists them.</summary>
    public IReadOnlyList<FindingSummary> Summaries()
    {
        var summaries = new List<FindingSummary>();
        void Add(string name, IEnumerable<Evidence> evidence)
        {
            var shown = evidence.Select(item => item.ToString()).Distinct().ToList();
            if (shown.Count > 0)
            {
                summaries.Add(new FindingSummary(name, shown));
            }
        }

        Add("PAIN", Pain);
        Add(Xray switch { XrayResult.Normal => "XR_NORMAL", XrayResult.Abnormal => "XR_ABNORMAL", _ => "XR_NO_RESULT" },
            XrayEvidence is { } xray ? [xray] : XrayDone ? [new Evidence("an X-ray without a result on record", XrayDate)] : []);
        Add("MRI_RECENT", MriRecent);
        Add($"MRI_RESULT ({MriResult})", MriEvidence is { } mri ? [mri] : []);
        Add("ON_IMAGING", OsteonecrosisImaging);
        Add("ON_RISK", OsteonecrosisRisk.Select(risk => new Evidence(risk.Describe(), null)));
        Add("ON_DX", OsteonecrosisDiagnosis);
        Add("INFLAMMATION", Inflammation);
        Add("LABS_NORMAL", LabsNormal);
        Add("PREGNANT", Pregnant);
        Add("MRI_CAUTION", MriCaution);
        Add("ARTHROPLASTY", Arthroplasty);
        Add("BONE_MALIGNANCY", BoneMalignancy);
        Add("UNREADABLE", Unreadable.Select(note => new Evidence(note, null)));
        if (AgeYears is { } age)
        {
            summaries.Add(new FindingSummary("AGE", [$"{age} years{(Adult ? string.Empty : " (under the adult limit)")}"]));
        }

        return summaries;
    }

    public static JointFindings Compute(PatientFacts facts, Target target, Vocabulary vocabulary, ClinicalOptions options)
    {
        var findings = new JointFindings(target)
        {
            AgeYears = facts.AgeYears,
            Adult = facts.AgeYears is not { } age || age >= options.AdultAgeYears,
        };
        findings.ReadPain(facts, vocabulary);
        findings.ReadImaging(facts, options);
        findings.ReadLabs(facts, options);
        findings.ReadConditions(facts, options, vocabulary);
        findings.Canonicalize();
        return findings;
    }

    // Same facts, same card: lists are ordered by date and text, never by the order resources arrived in.
    private void Canonicalize()
    {
        foreach (var list in new[] { Pain, MriRecent, OsteonecrosisImaging, Inflammation, LabsNormal, OsteonecrosisDiagnosis, Pregnant, MriCaution, Arthroplasty, BoneMalignancy })
        {
            list.Sort(Evidence.Compare);
        }

        OsteonecrosisImagingEvents.Sort((a, b) => Evidence.Compare(a.Evidence, b.Evidence));
        Unreadable.Sort(StringComparer.Ordinal);
    }

    private bool Here(Joint joint, Side side) => joint == Target.Joint && ImagingVocabulary.SidesMatch(side, Target.Side);

    private void ReadPain(PatientFacts facts, Vocabulary vocabulary)
    {
        var pains = new List<ConditionFact>();
        foreach (var pain in facts.Pain)
        {
            if (Here(pain.Joint, pain.Side))
            {
                pains.Add(pain);
            }
        }

        // Earliest first (a stable sort: ties keep the record's order); one pain, the usual case, needs no sorting.
        IEnumerable<ConditionFact> ordered = pains.Count < 2 ? pains
            : pains.OrderBy(pain => pain.Date.Date ?? DateTimeOffset.MaxValue).ThenBy(pain => pain.Reference, StringComparer.Ordinal);
        foreach (var pain in ordered)
        {
            Pain.Add(pain.SidedEvidence);
            if (pain.Date.Unreadable)
            {
                Unreadable.Add($"{pain.Display} ({pain.Concept.Key.Code}): its onset could not be read");
            }

            PainSide = ImagingVocabulary.Combine(PainSide, pain.Side);
            PainConditionReference ??= pain.Reference;
            PainOnset = pain.Date.Date is { } onset && (PainOnset is null || onset < PainOnset) ? onset : PainOnset;
        }

        // The order's own reason counts as pain at the order's joint (section 4, PAIN).
        if (Target.Order is { } order)
        {
            foreach (var reason in order.ReasonCode)
            {
                if (vocabulary.JointPain.Find(reason) is { } concept
                    && ImagingVocabulary.ParseJoint(concept.Attributes.Joint) is var joint && (joint is null || joint == Target.Joint)
                    && ImagingVocabulary.SidesMatch(ImagingVocabulary.ParseSide(concept.Attributes.Side) ?? Side.Unknown, Target.Side))
                {
                    Pain.Add(new Evidence($"{FhirFacts.Display(reason, concept.Display)} (reason for the order)", null));
                    PainSide = ImagingVocabulary.Combine(PainSide, ImagingVocabulary.ParseSide(concept.Attributes.Side) ?? Side.Unknown);
                }
            }

            foreach (var reference in order.ReasonReference)
            {
                if (facts.FindCondition(reference) is { } condition && facts.Pain.Find(pain => ReferenceEquals(pain.Resource, condition)) is { } pain
                    && pain.Joint == Target.Joint)
                {
                    PainConditionReference = pain.Reference;
                }
            }
        }
    }

    private void ReadImaging(PatientFacts facts, ClinicalOptions options)
    {
        var now = facts.Now;
        var here = new List<ImagingEvent>();
        foreach (var image in facts.Imaging)
        {
            if (Here(image.Class.Joint, image.Class.Side))
            {
                here.Add(image);
            }
        }

        ImagingEvent? latestXray = null;
        foreach (var xray in here)
        {
            if (xray.Class.Modality != Modality.XR || !ClinicalWindow.InLastDays(xray.Date, now, options.XrayWindowDays))
            {
                continue;
            }

            XrayDone = true;
            if (xray.Xray != XrayResult.None && (latestXray is null || xray.Date > latestXray.Date
                || (xray.Date == latestXray.Date && (xray.Xray, xray.Evidence.Display).CompareTo((latestXray.Xray, latestXray.Evidence.Display)) > 0)))
            {
                latestXray = xray;
            }
        }

        if (latestXray is not null)
        {
            Xray = latestXray.Xray;
            XrayEvidence = latestXray.Evidence;
            XrayDate = latestXray.Date;
        }

        foreach (var mri in here)
        {
            if (mri.Class.Modality != Modality.MR)
            {
                continue;
            }

            if (ClinicalWindow.InLastDays(mri.Date, now, options.MriRecentDays))
            {
                MriRecent.Add(mri.Evidence);
            }

            if (mri.Mri != MriFinding.None && ClinicalWindow.InLastWeeks(mri.Date, now, options.MriResultWeeks)
                && (MriEvidence is null || mri.Date > MriEvidence.Date
                    || (mri.Date == MriEvidence.Date && (mri.Mri == MriFinding.OsteonecrosisFeatures) && MriResult != MriFinding.OsteonecrosisFeatures)
                    || (mri.Date == MriEvidence.Date && (mri.Mri == MriFinding.OsteonecrosisFeatures) == (MriResult == MriFinding.OsteonecrosisFeatures)
                        && string.CompareOrdinal(mri.Evidence.Display, MriEvidence.Display) > 0)))
            {
                MriResult = mri.Mri;
                MriEvidence = mri.Evidence;
            }
        }

        foreach (var order in facts.Orders)
        {
            if (order.Class.Modality != Modality.MR || !Here(order.Class.Joint, order.Class.Side))
            {
                continue;
            }

            if (Target.Order is not { } judged || !(ReferenceEquals(order.Order, judged) || PatientFacts.SameId(order.Order, judged)))
            {
                MriRecent.Add(order.Evidence);
            }
        }

        foreach (var image in here)
        {
            if (image.OsteonecrosisFeatures && image.Class.Modality is Modality.XR or Modality.MR or Modality.Other
                && ClinicalWindow.InLastMonths(image.Date, now, options.OsteonecrosisImagingMonths))
            {
                OsteonecrosisImaging.Add(image.Evidence);
                OsteonecrosisImagingEvents.Add(image);
            }
        }

        // C7: a study or result of this joint whose date or text could not be read is left out, and said so.
        foreach (var image in here)
        {
            if (!image.Read.Unreadable && !(image.TextUnreadable && ClinicalWindow.InLastMonths(image.Date, now, options.OsteonecrosisImagingMonths)))
            {
                continue;
            }

            Unreadable.Add(image.Read.Unreadable ? $"{image.Display}: its date could not be read" : $"{image.Display}: its report text could not be read");
        }

        if (Target.Joint == Joint.Hip)
        {
            var other = ImagingVocabulary.Other(Target.Side);
            bool CoversOther(Side side) => side == Side.Bilateral || (other != Side.Unknown && side == other);
            OtherHipMriWithinYear =
                facts.Imaging.Exists(e => e.Class.Modality == Modality.MR && e.Class.Joint == Joint.Hip && CoversOther(e.Class.Side)
                    && ClinicalWindow.InLastMonths(e.Date, now, options.OsteonecrosisImagingMonths))
                || facts.Orders.Exists(o => o.Class.Modality == Modality.MR && o.Class.Joint == Joint.Hip && CoversOther(o.Class.Side)
                    && !(Target.Order is { } judged && (ReferenceEquals(o.Order, judged) || PatientFacts.SameId(o.Order, judged))));
        }
    }

    private void ReadLabs(PatientFacts facts, ClinicalOptions options)
    {
        var crp = new List<LabValue>();
        var esr = new List<LabValue>();
        var unreadable = false;
        foreach (var lab in facts.Labs)
        {
            if (lab.Group == "pregnancy-status")
            {
                continue;
            }

            var days = lab.Group == "body-temperature" ? options.TemperatureWindowDays : options.LabWindowDays;
            if (lab.Date.Unreadable && lab.Date.Date is null)
            {
                Unreadable.Add(lab.Unreadable ?? $"{lab.Evidence.Display}: its date could not be read");
                continue;
            }

            if (!ClinicalWindow.InLastDays(lab.Date.Date, facts.Now, days))
            {
                continue;
            }

            if (lab.IsHigh)
            {
                Inflammation.Add(lab.Evidence);
            }
            else if (lab.Unreadable is { } why)
            {
                // C7: never "not raised"; the card says what could not be read.
                Unreadable.Add(why);
                unreadable |= lab.Group is "crp" or "esr";
            }

            (lab.Group == "crp" ? crp : lab.Group == "esr" ? esr : null)?.Add(lab);
        }

        Inflammation.AddRange(facts.Infection);
        if (crp.Count > 0 && esr.Count > 0 && !unreadable && crp.TrueForAll(lab => lab.IsNotHigh) && esr.TrueForAll(lab => lab.IsNotHigh))
        {
            foreach (var lab in crp)
            {
                LabsNormal.Add(lab.Evidence);
            }

            foreach (var lab in esr)
            {
                LabsNormal.Add(lab.Evidence);
            }
        }

        // The latest pregnancy-status observation decides (the first of equally late ones, as MaxBy); an active
        // pregnancy condition always counts.
        LabValue? status = null;
        foreach (var lab in facts.Labs)
        {
            if (lab.Group == "pregnancy-status"
                && (status is null || (lab.Date.Date ?? DateTimeOffset.MinValue) > (status.Date.Date ?? DateTimeOffset.MinValue)))
            {
                status = lab;
            }
        }

        Pregnant.AddRange(facts.Pregnancy);
        if (status is { IsHigh: true })
        {
            Pregnant.Add(status.Evidence);
        }
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }

        return -1;
    }

    private void ReadConditions(PatientFacts facts, ClinicalOptions options, Vocabulary vocabulary)
    {
        // C3: ON_DX at this joint, or with no site at all (fail safe); a Condition of another joint concerns that joint only.
        foreach (var on in facts.Osteonecrosis)
        {
            if ((on.Joint == Target.Joint || (on.Joint == Joint.None && !on.Site.Elsewhere)) && ImagingVocabulary.SidesMatch(on.Side, Target.Side))
            {
                OsteonecrosisDiagnosis.Add(on.SidedEvidence);
            }
        }

        foreach (var arthroplasty in facts.Arthroplasty)
        {
            if (Here(arthroplasty.Joint, arthroplasty.Side))
            {
                Arthroplasty.Add(arthroplasty.SidedEvidence);
            }
        }

        MriCaution.AddRange(facts.MriCaution);
        BoneMalignancy.AddRange(facts.BoneMalignancy);
        foreach (var fact in facts.Unreadable)
        {
            if (fact.Concerns(Target.Joint, Target.Side))
            {
                Unreadable.Add(fact.Description);
            }
        }

        var groups = new Dictionary<string, List<Evidence>>(StringComparer.Ordinal);
        void Add(string group, Evidence evidence)
        {
            if (!groups.TryGetValue(group, out var list))
            {
                groups[group] = list = [];
            }

            list.Add(evidence);
        }

        foreach (var risk in facts.RiskConditions)
        {
            Add(risk.Concept.Attributes.Group ?? "other", risk.Evidence);
        }

        foreach (var medication in facts.Glucocorticoids)
        {
            Add("glucocorticoids", medication);
        }

        if (Target.Joint == Joint.Hip)
        {
            // C3: osteonecrosis of a knee, an ankle or a joint elsewhere is multifocal ON: a risk factor for the hip.
            foreach (var on in facts.Osteonecrosis)
            {
                if (on.Joint is Joint.Knee or Joint.Ankle || on.Site.Elsewhere)
                {
                    Add("other-joint-osteonecrosis", on.SiteEvidence);
                }
            }
        }

        if (Target.Joint == Joint.Hip && Target.Side is Side.Left or Side.Right)
        {
            var other = ImagingVocabulary.Other(Target.Side);
            foreach (var on in facts.Osteonecrosis)
            {
                if (on.Joint == Joint.Hip && on.Side == other)
                {
                    Add("other-hip-osteonecrosis", on.Evidence);
                }
            }

            foreach (var image in facts.Imaging)
            {
                if (image.OsteonecrosisFeatures && image.Class.Joint == Joint.Hip && image.Class.Side == other
                    && ClinicalWindow.InLastMonths(image.Date, facts.Now, options.OsteonecrosisImagingMonths))
                {
                    Add("other-hip-osteonecrosis", image.Evidence);
                }
            }
        }

        // Groups in the order the risk-factor value set lists them; medication and other-joint evidence after.
        if (groups.Count == 0)
        {
            return;
        }

        var order = vocabulary.RiskFactorGroups;
        OsteonecrosisRisk.AddRange(groups
            .OrderBy(group => IndexOf(order, group.Key) is var index and >= 0 ? index : order.Count)
            .ThenBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new RiskFactor(group.Key, [.. group.Value.Order(Comparer<Evidence>.Create(Evidence.Compare))])));
    }
}
