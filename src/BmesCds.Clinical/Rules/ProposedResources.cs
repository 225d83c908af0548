using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Rules;

/// <summary>
/// Builds the resources suggestions create (BMES-RULES.md section 6, "The proposed MRI"): the MRI ServiceRequest and the
/// provisional osteonecrosis Condition. Codes come from the value sets (imaging-orders, body-sites, osteonecrosis); ids are
/// left unset, the CDS client assigns them.
/// </summary>
internal sealed class ProposedResources
{
    private const string Loinc = "http://loinc.org";
    private const string Cpt = "http://www.ama-assn.org/go/cpt";
    private const string Snomed = "http://snomed.info/sct";

    private readonly Vocabulary _vocabulary;
    private readonly ClinicalOptions _options;

    private readonly Dictionary<string, string> _mriNotes;

    public ProposedResources(Vocabulary vocabulary, ClinicalOptions options)
    {
        _vocabulary = vocabulary;
        _options = options;
        _mriNotes = RuleCatalogue.All.ToDictionary(
            rule => rule.Id, rule => $"Proposed by {options.SourceLabel}, rule {rule.Id}: MRI without IV contrast.", StringComparer.Ordinal);
    }

    /// <summary>"MR Hip - left WO contrast" for a proposed MRI.</summary>
    public static string Describe(ServiceRequest request) => request.Code?.Text ?? "MRI without contrast";

    public ServiceRequest Mri(RuleContext context, string ruleId, Joint joint, Side side)
    {
        var loinc = Find(Loinc, Modality.MR, joint, side) ?? Find(Loinc, Modality.MR, joint, null);
        var cpt = Find(Cpt, Modality.MR, joint, side) ?? Find(Cpt, Modality.MR, null, null);
        var code = new CodeableConcept { Text = loinc?.Display ?? $"MRI {ImagingVocabulary.Name(joint, side)} without contrast" };
        foreach (var concept in (ReadOnlySpan<ConceptEntry?>)[loinc, cpt])
        {
            if (concept is not null)
            {
                code.Coding.Add(new Coding(concept.Key.System, concept.Key.Code, concept.Display));
            }
        }

        var order = context.Target.Order;
        var request = new ServiceRequest
        {
            Meta = new Meta { Profile = [BmesCanonicals.MriServiceRequestProfile] },
            Status = RequestStatus.Draft,
            Intent = context.IsPatientView ? RequestIntent.Proposal : RequestIntent.Order,
            Code = code,
            BodySite = BodySites(joint, side),
            Subject = new ResourceReference($"Patient/{context.Request.Context.PatientId}"),
            AuthoredOn = context.Request.Now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            Note = [new Annotation { Text = MriNote(ruleId) }],
        };
        if (context.Request.Context.EncounterId is { Length: > 0 } encounter)
        {
            request.Encounter = new ResourceReference($"Encounter/{encounter}");
        }

        if (Requester(context.Request.Context.UserId) is { } requester)
        {
            request.Requester = requester;
        }

        if (context.Findings.PainConditionReference is { } pain)
        {
            request.ReasonReference.Add(new ResourceReference(pain));
        }
        else if (order is not null)
        {
            request.ReasonCode.AddRange(order.ReasonCode.Select(reason => (CodeableConcept)reason.DeepCopy()));
        }

        return request;
    }

    // The same words for every MRI a rule proposes at this site: made once per rule.
    private string MriNote(string ruleId) =>
        _mriNotes.TryGetValue(ruleId, out var note) ? note : $"Proposed by {_options.SourceLabel}, rule {ruleId}: MRI without IV contrast.";

    public Condition OsteonecrosisCondition(RuleContext context, string ruleId, Side side, IEnumerable<Resource> evidence)
    {
        // The unsided SNOMED hip concept of the osteonecrosis value set: 444849002 Avascular necrosis of bone of hip.
        var concept = _vocabulary.Osteonecrosis.Ordered.FirstOrDefault(entry => entry.Key.System == Snomed && entry.Attributes.Joint == "hip" && entry.Attributes.Side is null)
            ?? _vocabulary.Osteonecrosis.Ordered.FirstOrDefault(entry => entry.Attributes.Joint == "hip")
            ?? new ConceptEntry(new CodeKey(Snomed, "444849002"), "Avascular necrosis of bone of hip", ConceptAttributes.None);
        var condition = new Condition
        {
            Meta = new Meta { Profile = [BmesCanonicals.OsteonecrosisConditionProfile] },
            ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"),
            VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "provisional", "Provisional"),
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item")],
            Code = new CodeableConcept(concept.Key.System, concept.Key.Code, concept.Display, concept.Display),
            BodySite = BodySites(Joint.Hip, side),
            Subject = new ResourceReference($"Patient/{context.Request.Context.PatientId}"),
            RecordedDate = context.Request.Now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            Note = [new Annotation { Text = $"Suggested by {_options.SourceLabel}, rule {ruleId}: osteonecrosis features on imaging." }],
        };
        if (context.Request.Context.EncounterId is { Length: > 0 } encounter)
        {
            condition.Encounter = new ResourceReference($"Encounter/{encounter}");
        }

        if (Requester(context.Request.Context.UserId) is { } recorder)
        {
            condition.Recorder = recorder;
        }

        var details = evidence.Select(FhirFacts.ReferenceTo).OfType<string>().Distinct(StringComparer.Ordinal).Select(reference => new ResourceReference(reference)).ToList();
        if (details.Count > 0)
        {
            condition.Evidence = [new Condition.EvidenceComponent { Detail = details }];
        }

        return condition;
    }

    private static ResourceReference? Requester(string? userId) =>
        userId is { } user && (user.StartsWith("Practitioner/", StringComparison.Ordinal) || user.StartsWith("PractitionerRole/", StringComparison.Ordinal))
            ? new ResourceReference(user)
            : null;

    /// <summary>
    /// One bodySite: the joint (hip joint / knee joint / ankle joint) with the side in the `bmes-laterality` extension
    /// (R4 bodySite has no laterality; the profiles allow one bodySite).
    /// </summary>
    private List<CodeableConcept> BodySites(Joint joint, Side side)
    {
        var jointCode = ImagingVocabulary.Code(joint);
        if (JointSite(jointCode) is not { } site)
        {
            return [];
        }

        var bodySite = new CodeableConcept(site.Key.System, site.Key.Code, site.Display);
        var sideCode = ImagingVocabulary.Code(side);
        if (side != Side.Unknown && Laterality(sideCode) is { } laterality)
        {
            bodySite.Extension.Add(new Extension(BmesCanonicals.LateralityExtension, new CodeableConcept(laterality.Key.System, laterality.Key.Code, laterality.Display)));
        }

        return [bodySite];
    }

    // Loops rather than FirstOrDefault with a capturing lambda: these run for every proposed MRI.
    private ConceptEntry? JointSite(string jointCode)
    {
        foreach (var entry in _vocabulary.BodySites.Ordered)
        {
            if (entry.Attributes.Joint == jointCode)
            {
                return entry;
            }
        }

        return null;
    }

    private ConceptEntry? Laterality(string sideCode)
    {
        foreach (var entry in _vocabulary.BodySites.Ordered)
        {
            if (entry.Attributes.Group == "laterality" && entry.Attributes.Side == sideCode)
            {
                return entry;
            }
        }

        return null;
    }

    // The value set's modality attribute: the enum's name, without boxing the enum to ask for it.
    private static string Code(Modality modality) => modality switch
    {
        Modality.XR => nameof(Modality.XR),
        Modality.CT => nameof(Modality.CT),
        Modality.MR => nameof(Modality.MR),
        Modality.NM => nameof(Modality.NM),
        Modality.US => nameof(Modality.US),
        _ => nameof(Modality.Other),
    };

    /// <summary>The first imaging-orders concept of this system for exactly (modality, joint, side) without contrast.</summary>
    private ConceptEntry? Find(string system, Modality modality, Joint? joint, Side? side)
    {
        var jointCode = joint is { } j ? ImagingVocabulary.Code(j) : null;
        var sideCode = side is { } s && s != Side.Unknown ? ImagingVocabulary.Code(s) : null;
        var modalityCode = Code(modality);
        foreach (var entry in _vocabulary.ImagingOrders.Ordered)
        {
            if (entry.Key.System == system
                && entry.Attributes.Modality == modalityCode
                && entry.Attributes.Contrast == "without"
                && entry.Attributes.Joint == jointCode
                && entry.Attributes.Side == sideCode)
            {
                return entry;
            }
        }

        return null;
    }
}
