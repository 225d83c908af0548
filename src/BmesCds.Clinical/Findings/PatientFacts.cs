using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Findings;

/// <summary>A Condition the rules use, with where it is (joint, side, or elsewhere: C2, C3) and its date.</summary>
internal sealed record ConditionFact(Condition Resource, ConceptEntry Concept, ConditionSite Site, DateRead Date, bool Active)
{
    public Joint Joint => Site.Joint;

    public Side Side => Site.Side;

    /// <summary>What the card shows: display and code, with the date. Built once: the findings of each joint read it.</summary>
    public Evidence Evidence { get; } = new($"{DisplayOf(Resource, Concept)} ({Concept.Key.Code})", Date.Date);

    /// <summary>For a finding at a joint (PAIN, ON_DX, ARTHROPLASTY): the card says when the side was not recorded (C2).</summary>
    public Evidence SidedEvidence => Side == Side.Unknown ? Evidence with { Display = $"{Evidence.Display}, {SideNotRecorded}" } : Evidence;

    /// <summary>For osteonecrosis of another joint (an ON risk factor of the hip, C3): the card names the site.</summary>
    public Evidence SiteEvidence => Site.SiteName is { } site && !Display.Contains(site, StringComparison.OrdinalIgnoreCase)
        ? Evidence with { Display = $"{Evidence.Display}, {site}" }
        : Joint is Joint.Knee or Joint.Ankle && !Display.Contains(ImagingVocabulary.Code(Joint), StringComparison.OrdinalIgnoreCase)
            ? Evidence with { Display = $"{Evidence.Display}, {ImagingVocabulary.Code(Joint)}" }
            : Evidence;

    public const string SideNotRecorded = "side not recorded";

    public string Display => DisplayOf(Resource, Concept);

    private static string DisplayOf(Condition resource, ConceptEntry concept) => resource.Code?.Text is { Length: > 0 } text ? text : concept.Display;

    public string? Reference => FhirFacts.ReferenceTo(Resource);
}

internal enum XrayResult
{
    None,
    Normal,
    Abnormal,
}

internal enum MriFinding
{
    None,
    BmePattern,
    OsteonecrosisFeatures,
    Equivocal,
    Other,
}

/// <summary>
/// A performed study, its report or a coded result, classified, with what it says. DateUnreadable and TextUnreadable:
/// something was there that could not be read (C7).
/// </summary>
internal sealed record ImagingEvent(ImagingClass Class, DateRead Read, string Display, ImagingResult Result, Resource Source, bool TextUnreadable = false)
{
    public DateTimeOffset? Date => Read.Date;

    public XrayResult Xray => Result.Xray;

    public MriFinding Mri => Result.Mri;

    public bool OsteonecrosisFeatures => Result.OsteonecrosisFeatures;

    public bool HasResult => Xray != XrayResult.None || Mri != MriFinding.None || OsteonecrosisFeatures;

    /// <summary>
    /// What the card shows; an imaging record of a joint whose side was recorded nowhere says so (C2). Built once: the
    /// findings compare and list it for each judged order.
    /// </summary>
    public Evidence Evidence { get; } = Show(Class, Read, Display, Result);

    private static Evidence Show(ImagingClass kind, DateRead read, string display, ImagingResult result)
    {
        var shown = result.Shown is null ? display : $"{display}: {result.Shown}";
        return new(kind.Side == Side.Unknown && kind.Joint != Joint.None ? $"{shown}, {ConditionFact.SideNotRecorded}" : shown, read.Date);
    }
}

/// <summary>An imaging order (draft or active) of the record or of draftOrders.</summary>
internal sealed record OrderFact(ServiceRequest Order, ImagingClass Class)
{
    public Evidence Evidence
    {
        get
        {
            var shown = $"{FhirFacts.Display(Order.Code, "imaging order")} ({Order.Status?.ToString().ToLowerInvariant() ?? "draft"})";
            return new(Class.Side == Side.Unknown ? $"{shown}, {ConditionFact.SideNotRecorded}" : shown, FhirFacts.ParseDate(Order.AuthoredOn));
        }
    }
}

/// <summary>
/// The patient's facts, read once per request in one linear pass over the record: conditions by value set, imaging
/// events with their results, orders, labs, medications, and the facts that could not be read (C7). Per-joint
/// findings are derived from this (<see cref="JointFindings"/>).
/// </summary>
internal sealed class PatientFacts
{
    private PatientFacts(DateTimeOffset now) => Now = now;

    public DateTimeOffset Now { get; }

    public int? AgeYears { get; private set; }

    public AdministrativeGender? Sex { get; private set; }

    public List<ConditionFact> Pain { get; } = [];

    public List<ConditionFact> Osteonecrosis { get; } = [];

    public List<ConditionFact> RiskConditions { get; } = [];

    public List<ConditionFact> Arthroplasty { get; } = [];

    public List<Evidence> Pregnancy { get; } = [];

    public List<Evidence> Infection { get; } = [];

    public List<Evidence> MriCaution { get; } = [];

    public List<Evidence> BoneMalignancy { get; } = [];

    public List<Evidence> Glucocorticoids { get; } = [];

    public List<LabValue> Labs { get; } = [];

    public List<ImagingEvent> Imaging { get; } = [];

    public List<OrderFact> Orders { get; } = [];

    /// <summary>Facts that could not be read and are left out; the card of a joint they concern names them (C7).</summary>
    public List<UnreadableFact> Unreadable { get; } = [];

    public Dictionary<string, Condition> ConditionsById { get; } = new(StringComparer.Ordinal);

    public static PatientFacts Build(EvaluationRequest request, Vocabulary vocabulary, ClinicalOptions options)
    {
        var facts = new PatientFacts(request.Now);
        facts.ReadPatient(request.Record.Patient);
        var resources = request.Record.Resources;
        foreach (var condition in new ResourcesOf<Condition>(resources))
        {
            facts.ReadCondition(condition, vocabulary, options);
        }

        facts.ReadImaging(resources, vocabulary);
        foreach (var observation in new ResourcesOf<Observation>(resources))
        {
            facts.ReadObservation(observation, vocabulary, options);
        }

        foreach (var order in new ResourcesOf<ServiceRequest>(resources))
        {
            facts.ReadOrder(order, vocabulary);
        }

        foreach (var order in new ResourcesOf<ServiceRequest>(request.DraftOrders))
        {
            facts.ReadOrder(order, vocabulary);
        }

        var medications = new MedicationReader(resources, vocabulary, options, request.Now);
        for (var i = 0; i < resources.Count; i++)
        {
            var resource = resources[i];
            var (glucocorticoid, unreadable) = medications.Read(resource);
            facts.Glucocorticoids.AddRange(glucocorticoid is null ? [] : [glucocorticoid]);
            facts.Unreadable.AddRange(unreadable is null ? [] : [unreadable]);
            facts.ReadDevice(resource, vocabulary);
        }

        return facts;
    }

    public Condition? FindCondition(ResourceReference reference) =>
        FhirFacts.Normalize(reference) is { } key ? ConditionsById.GetValueOrDefault(key) : null;

    private void ReadPatient(Patient? patient)
    {
        Sex = patient?.Gender;
        if (FhirFacts.ParseDate(patient?.BirthDate) is { } birth)
        {
            var today = Now.UtcDateTime;
            var age = today.Year - birth.Year;
            AgeYears = today.Month < birth.Month || (today.Month == birth.Month && today.Day < birth.Day) ? age - 1 : age;
        }
    }

    private void ReadCondition(Condition condition, Vocabulary vocabulary, ClinicalOptions options)
    {
        if (FhirFacts.IsRefuted(condition))
        {
            return;
        }

        if (FhirFacts.ReferenceTo(condition) is { } reference)
        {
            ConditionsById.TryAdd(reference, condition);
        }

        var active = !FhirFacts.IsInactive(condition);
        var date = FhirFacts.ReadDate(condition);
        ConditionFact? Fact(ConceptSet set) => set.Find(condition.Code) is { } concept
            ? new ConditionFact(condition, concept, ConditionSite.Of(concept, condition, vocabulary), date, active)
            : null;

        if (Fact(vocabulary.JointPain) is { Active: true } pain)
        {
            Pain.Add(pain);
        }

        if (Fact(vocabulary.Osteonecrosis) is { Active: true } osteonecrosis)
        {
            Osteonecrosis.Add(osteonecrosis);
        }

        // History-type risk factors (prior fracture, transplant, radiation) count even when no longer active (section 2).
        if (Fact(vocabulary.RiskFactors) is { } risk && (risk.Active || Vocabulary.HistoryRiskGroups.Contains(risk.Concept.Attributes.Group ?? string.Empty)))
        {
            RiskConditions.Add(risk);
        }

        if (Fact(vocabulary.JointReplacement) is { Active: true } arthroplasty)
        {
            Arthroplasty.Add(arthroplasty);
        }

        AddIfActive(Pregnancy, Fact(vocabulary.Pregnancy));
        AddIfActive(MriCaution, Fact(vocabulary.MriCaution));
        AddIfActive(BoneMalignancy, Fact(vocabulary.BoneMalignancy));

        // An infection without a clinical status counts only when recent (an unreadable date counts: red flags win, C7).
        if (Fact(vocabulary.InfectionRedFlags) is { Active: true } infection
            && (condition.ClinicalStatus is not null || date.Date is null || ClinicalWindow.InLastDays(date.Date, Now, options.LabWindowDays)))
        {
            Infection.Add(infection.Evidence);
        }
    }

    private static void AddIfActive(List<Evidence> list, ConditionFact? fact)
    {
        if (fact is { Active: true })
        {
            list.Add(fact.Evidence);
        }
    }

    private void ReadImaging(IReadOnlyList<Resource> resources, Vocabulary vocabulary)
    {
        var studies = new Dictionary<string, (ImagingClass Class, DateTimeOffset? Date)>(StringComparer.Ordinal);
        foreach (var study in new ResourcesOf<ImagingStudy>(resources))
        {
            if (study.Status is ImagingStudy.ImagingStudyStatus.Cancelled or ImagingStudy.ImagingStudyStatus.EnteredInError)
            {
                continue;
            }

            var kind = vocabulary.Classifier.Classify(study, FindCondition);
            var date = FhirFacts.ReadDate(study.Started);
            if (FhirFacts.ReferenceTo(study) is { } reference)
            {
                studies[reference] = (kind, date.Date);
            }

            var display = study.Description ?? FhirFacts.Display(study.ProcedureCode.FirstOrDefault(), null) ?? $"{kind.Modality} study";
            Imaging.Add(new ImagingEvent(kind, date, display, ImagingResult.None, study));
        }

        var reportClasses = new Dictionary<string, (ImagingClass Class, DateTimeOffset? Date)>(StringComparer.Ordinal);
        foreach (var report in new ResourcesOf<DiagnosticReport>(resources))
        {
            if (report.Status is DiagnosticReport.DiagnosticReportStatus.EnteredInError or DiagnosticReport.DiagnosticReportStatus.Cancelled)
            {
                continue;
            }

            var linked = new List<(ImagingClass Class, DateTimeOffset? Date)>();
            foreach (var study in report.ImagingStudy)
            {
                if (FhirFacts.Normalize(study) is { } key && studies.TryGetValue(key, out var linkedStudy))
                {
                    linked.Add(linkedStudy);
                }
            }

            var kind = vocabulary.Classifier.Classify(report, linked.Select(study => study.Class));
            var date = FhirFacts.ReadDate(report);
            date = date.Date is null && linked.Select(study => study.Date).FirstOrDefault(found => found is not null) is { } studied ? new DateRead(studied, false) : date;
            foreach (var result in report.Result)
            {
                if (FhirFacts.Normalize(result) is { } key)
                {
                    reportClasses[key] = (kind, date.Date);
                }
            }

            var (texts, unreadable) = ReportTexts.Of(report);
            var interpreted = ImagingResults.Interpret(vocabulary, kind, report.ConclusionCode.SelectMany(concept => concept.Coding), texts);
            Imaging.Add(new ImagingEvent(kind, date, FhirFacts.Display(report.Code, null) ?? $"{kind.Modality} report", interpreted, report, unreadable));
        }

        foreach (var observation in new ResourcesOf<Observation>(resources))
        {
            ReadImagingObservation(observation, vocabulary, studies, reportClasses);
        }
    }

    private void ReadImagingObservation(
        Observation observation,
        Vocabulary vocabulary,
        Dictionary<string, (ImagingClass Class, DateTimeOffset? Date)> studies,
        Dictionary<string, (ImagingClass Class, DateTimeOffset? Date)> reportClasses)
    {
        if (observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled)
        {
            return;
        }

        var codings = new List<Coding>();
        codings.AddRange(observation.Code?.Coding ?? []);
        codings.AddRange((observation.Value as CodeableConcept)?.Coding ?? []);
        ConceptEntry? resultConcept = null;
        foreach (var coding in codings)
        {
            if (CodeKey.From(coding) is { } key
                && (vocabulary.XrayNormal.Find(key) ?? vocabulary.XrayAbnormal.Find(key) ?? vocabulary.ImagingFinding.Find(key)) is { } found)
            {
                resultConcept = found;
                break;
            }
        }

        if (resultConcept is null && vocabulary.ImagingOrders.Find(observation.Code) is null && !HasImagingCategory(observation))
        {
            return;
        }

        var sources = new List<(ImagingClass Class, DateTimeOffset? Date)>();
        foreach (var reference in observation.DerivedFrom.Concat(observation.PartOf))
        {
            if (FhirFacts.Normalize(reference) is not { } key)
            {
                continue;
            }

            var source = studies.TryGetValue(key, out var study) ? study : reportClasses.TryGetValue(key, out var report) ? report : default;
            if (source.Class is not null)
            {
                sources.Add(source);
            }
        }
        if (FhirFacts.ReferenceTo(observation) is { } self && reportClasses.TryGetValue(self, out var parent))
        {
            sources.Add(parent);
        }

        var texts = ReportTexts.Of(observation);
        var kind = vocabulary.Classifier.Classify(observation, sources.Select(source => source.Class), resultConcept?.Attributes);
        var result = ImagingResults.Interpret(vocabulary, kind, codings, texts);
        if (kind.Modality == Modality.Other)
        {
            // A coded X-ray result is an X-ray; a coded marrow finding without modality is read as an MRI.
            kind = kind with { Modality = result.Xray != XrayResult.None ? Modality.XR : Modality.MR };
            result = ImagingResults.Interpret(vocabulary, kind, codings, texts);
        }

        var date = FhirFacts.ReadDate(observation);
        date = date.Date is null && sources.Select(source => source.Date).FirstOrDefault(found => found is not null) is { } sourced ? new DateRead(sourced, false) : date;
        Imaging.Add(new ImagingEvent(kind, date, FhirFacts.Display(observation.Code, "imaging result"), result, observation));
    }

    private static bool HasImagingCategory(Observation observation)
    {
        foreach (var category in observation.Category)
        {
            if (FhirFacts.HasCode(category, "imaging"))
            {
                return true;
            }
        }

        return false;
    }

    private void ReadObservation(Observation observation, Vocabulary vocabulary, ClinicalOptions options)
    {
        if (observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled || vocabulary.LabCodes.Find(observation.Code) is not { } lab)
        {
            return;
        }

        var group = lab.Attributes.Group ?? string.Empty;
        if (group == "pregnancy-status")
        {
            var date = FhirFacts.ReadDate(observation);
            Labs.Add(new LabValue(group, null, vocabulary.PregnancyStatusPregnant.Find(observation.Value as CodeableConcept) is not null, date,
                new Evidence($"Pregnancy status: {FhirFacts.Display(observation.Value as CodeableConcept, "recorded")}", date.Date)));
            return;
        }

        Labs.Add(LabReader.Read(observation, group, options, Sex));
    }

    private void ReadOrder(ServiceRequest order, Vocabulary vocabulary)
    {
        if (order.Status is RequestStatus.Revoked or RequestStatus.EnteredInError or RequestStatus.Completed)
        {
            return;
        }

        var kind = vocabulary.Classifier.Classify(order, FindCondition);
        if (kind.Joint != Joint.None && !Orders.Exists(known => ReferenceEquals(known.Order, order) || SameId(known.Order, order)))
        {
            Orders.Add(new OrderFact(order, kind));
        }
    }

    /// <summary>
    /// The class this order was given when the facts were read (the same classification, not made twice), or null
    /// when the facts did not keep it (no joint, revoked, completed, or another order with its id came first).
    /// </summary>
    public ImagingClass? ClassOf(ServiceRequest order)
    {
        foreach (var known in Orders)
        {
            if (ReferenceEquals(known.Order, order))
            {
                return known.Class;
            }
        }

        return null;
    }

    public static bool SameId(Resource a, Resource b) => !string.IsNullOrEmpty(a.Id) && a.Id == b.Id && a.TypeName == b.TypeName;

    private void ReadDevice(Resource resource, Vocabulary vocabulary)
    {
        if (resource is Device device && device.Status is not (Device.FHIRDeviceStatus.Inactive or Device.FHIRDeviceStatus.EnteredInError)
            && vocabulary.MriCaution.Find(device.Type) is { } concept)
        {
            MriCaution.Add(new Evidence($"{concept.Display} (device)", null));
        }
    }
}
