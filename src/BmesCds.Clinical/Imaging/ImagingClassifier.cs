using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Imaging;

/// <summary>
/// Classifies imaging orders, studies, reports and result observations as (modality, joint, side, contrast)
/// (BMES-RULES.md section 3). Sources, in order: the code (imaging-orders), the DICOM modality, bodySite and series
/// laterality (body-sites), the reason (joint-pain code or the referenced pain Condition), then the text.
/// </summary>
public sealed class ImagingClassifier
{
    private readonly ConceptSet _orders;
    private readonly ConceptSet _bodySites;
    private readonly ConceptSet _jointPain;

    public ImagingClassifier(BmesTerminology terminology)
    {
        _orders = terminology[BmesCanonicals.ImagingOrders];
        _bodySites = terminology[BmesCanonicals.BodySites];
        _jointPain = terminology[BmesCanonicals.JointPain];
    }

    /// <summary>Resolves a reasonReference ("Condition/abc") to the Condition, when the record has it.</summary>
    public delegate Condition? ConditionLookup(ResourceReference reference);

    public ImagingClass Classify(ServiceRequest order, ConditionLookup? conditions = null)
    {
        var builder = new Builder();
        builder.FromCode(_orders, order.Code?.Coding);
        builder.FromBodySites(_bodySites, BodySiteCodings.Of(order.BodySite));
        AddReasons(builder, order.ReasonCode, order.ReasonReference, conditions);
        builder.FromConcept(order.Code);
        foreach (var site in order.BodySite)
        {
            builder.FromText(site.Text);
        }

        return builder.Build();
    }

    public ImagingClass Classify(ImagingStudy study, ConditionLookup? conditions = null)
    {
        var builder = new Builder();
        builder.FromCode(_orders, study.ProcedureCode.SelectMany(code => code.Coding));
        foreach (var modality in study.Series.Select(series => series.Modality).Concat(study.Modality))
        {
            builder.FromDicomModality(modality?.Code);
        }

        builder.FromBodySites(_bodySites, study.Series.SelectMany(series => new[] { series.BodySite, series.Laterality }).OfType<Coding>());
        AddReasons(builder, study.ReasonCode, study.ReasonReference, conditions);
        builder.FromText(study.Description, study.ProcedureCode.SelectMany(code => code.Coding.Select(coding => coding.Display).Append(code.Text)));
        builder.FromText(null, study.Series.Select(series => series.Description));
        return builder.Build();
    }

    /// <summary>A report of an imaging study: its own code first, then what its studies say.</summary>
    public ImagingClass Classify(DiagnosticReport report, IEnumerable<ImagingClass> studies)
    {
        var builder = new Builder();
        builder.FromCode(_orders, report.Code?.Coding);
        foreach (var study in studies)
        {
            builder.From(study);
        }

        builder.FromConcept(report.Code);
        return builder.Build();
    }

    /// <summary>A coded imaging result: its code (when an imaging code), bodySite, the source study or report, then text.</summary>
    public ImagingClass Classify(Observation observation, IEnumerable<ImagingClass> sources, ConceptAttributes? result)
    {
        var builder = new Builder();
        builder.FromCode(_orders, observation.Code?.Coding);
        builder.FromBodySites(_bodySites, BodySiteCodings.Of(observation.BodySite));
        foreach (var source in sources)
        {
            builder.From(source);
        }

        builder.FromAttributes(result);
        builder.FromConcept(observation.Code);
        return builder.Build();
    }

    private void AddReasons(Builder builder, List<CodeableConcept> reasonCodes, List<ResourceReference> reasonReferences, ConditionLookup? conditions)
    {
        foreach (var reason in reasonCodes)
        {
            builder.FromReason(_jointPain.Find(reason)?.Attributes);
        }

        if (conditions is null)
        {
            return;
        }

        foreach (var reference in reasonReferences)
        {
            if (conditions(reference) is { } condition && _jointPain.Find(condition.Code) is { } pain)
            {
                var site = new Builder();
                site.FromAttributes(pain.Attributes);
                site.FromBodySites(_bodySites, BodySiteCodings.Of(condition.BodySite));
                var painClass = site.Build();
                builder.FromReason(new ConceptAttributes(null, ImagingVocabulary.Code(painClass.Joint), ImagingVocabulary.Code(painClass.Side), null, null));
            }
        }
    }

    /// <summary>Fills each part once, from the first source that knows it.</summary>
    private sealed class Builder
    {
        private Modality? _modality;
        private Joint? _joint;
        private Side? _side;
        private Contrast? _contrast;
        private bool _codeKnown;
        private bool _pelvis;
        private Joint? _reasonJoint;
        private Side? _reasonSide;
        private bool _otherAnatomy;

        public void FromCode(ConceptSet orders, IEnumerable<Coding>? codings)
        {
            foreach (var coding in codings ?? [])
            {
                if (CodeKey.From(coding) is { } key && orders.Find(key) is { } entry)
                {
                    _codeKnown = true;
                    FromAttributes(entry.Attributes);
                }
            }
        }

        public void FromAttributes(ConceptAttributes? attributes)
        {
            if (attributes is null)
            {
                return;
            }

            _modality ??= ImagingVocabulary.ParseModality(attributes.Modality);
            _joint ??= ImagingVocabulary.ParseJoint(attributes.Joint);
            _side ??= ImagingVocabulary.ParseSide(attributes.Side);
            _contrast ??= ImagingVocabulary.ParseContrast(attributes.Contrast);
        }

        public void From(ImagingClass known)
        {
            _modality ??= known.Modality == Modality.Other ? null : known.Modality;
            _joint ??= known.Joint == Joint.None ? null : known.Joint;
            _side ??= known.Side == Side.Unknown ? null : known.Side;
            _contrast ??= known.Contrast == Contrast.Unknown ? null : known.Contrast;
        }

        public void FromDicomModality(string? code) => _modality ??= code?.Trim().ToUpperInvariant() switch
        {
            "CR" or "DX" or "RG" => Modality.XR,
            "CT" => Modality.CT,
            "MR" => Modality.MR,
            "NM" => Modality.NM,
            "US" => Modality.US,
            _ => null,
        };

        public void FromBodySites(ConceptSet bodySites, IEnumerable<Coding> codings)
        {
            Side? side = null;
            foreach (var coding in codings)
            {
                if (CodeKey.From(coding) is not { } key || bodySites.Find(key) is not { } entry)
                {
                    continue;
                }

                _joint ??= ImagingVocabulary.ParseJoint(entry.Attributes.Joint);
                _pelvis |= entry.Attributes.Group == "pelvis";
                if (ImagingVocabulary.ParseSide(entry.Attributes.Side) is { } found)
                {
                    side = side is { } seen ? ImagingVocabulary.Combine(seen, found) : found;
                }
            }

            _side ??= side;
        }

        public void FromReason(ConceptAttributes? attributes)
        {
            if (attributes is null)
            {
                return;
            }

            // The first pain reason naming a joint decides; its side counts only for that joint.
            if (_reasonJoint is null && ImagingVocabulary.ParseJoint(attributes.Joint) is { } joint)
            {
                _reasonJoint = joint;
                _reasonSide = ImagingVocabulary.ParseSide(attributes.Side);
            }
        }

        public void FromText(string? text, IEnumerable<string?>? more = null)
        {
            FromText(text);
            foreach (var candidate in more ?? [])
            {
                FromText(candidate);
            }
        }

        /// <summary>A concept's words: its text, then each coding's display (as FromText(text, displays), without iterators).</summary>
        public void FromConcept(CodeableConcept? concept)
        {
            FromText(concept?.Text);
            foreach (var coding in concept?.Coding ?? [])
            {
                FromText(coding.Display);
            }
        }

        public void FromCode(ConceptSet orders, List<Coding>? codings)
        {
            foreach (var coding in codings ?? [])
            {
                if (CodeKey.From(coding) is { } key && orders.Find(key) is { } entry)
                {
                    _codeKnown = true;
                    FromAttributes(entry.Attributes);
                }
            }
        }

        private void FromText(string? candidate)
        {
            var parsed = ImagingTextParser.Parse(candidate);
            _modality ??= parsed.Modality;
            _contrast ??= parsed.Contrast;
            _pelvis |= parsed.Pelvis;
            _otherAnatomy |= parsed.OtherAnatomy && parsed.Joint is null;
            if (_joint is null && parsed.Joint is { } joint)
            {
                _joint = joint;
            }

            if (_joint is not null && _joint == parsed.Joint)
            {
                _side ??= parsed.Side;
            }
        }

        public ImagingClass Build()
        {
            var joint = _joint;
            var side = _side;

            // A code that names no joint (CPT 73721, 73700, bone scan), or a pelvis study, takes the joint of its reason;
            // an unrecognised study of another body part never does.
            if (joint is null && _reasonJoint is { } reasonJoint && (_codeKnown || _pelvis || !_otherAnatomy))
            {
                var pelvisForHip = !_pelvis || reasonJoint == Joint.Hip;
                joint = pelvisForHip ? reasonJoint : null;
            }

            if (joint is not null && joint == _reasonJoint)
            {
                side ??= _reasonSide;
            }

            return new ImagingClass(
                _modality ?? Modality.Other,
                joint ?? Joint.None,
                joint is null ? Side.Unknown : side ?? Side.Unknown,
                _contrast ?? Contrast.Unknown);
        }
    }
}
