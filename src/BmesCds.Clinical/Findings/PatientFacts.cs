using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;
using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Findings;

/// <summary>A Condition the rules use, with its joint and side (from the code, else bodySite) and date.</summary>
internal sealed record ConditionFact(Condition Resource, ConceptEntry Concept, Joint Joint, Side Side, DateTimeOffset? Date, bool Active)
{
    public Evidence Evidence => new($"{Display} ({Concept.Key.Code})", Date);

    public string Display => Resource.Code?.Text is { Length: > 0 } text ? text : Concept.Display;

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

/// <summary>A performed study, its report or a coded result, classified, with what it says.</summary>
internal sealed record ImagingEvent(ImagingClass Class, DateTimeOffset? Date, string Display, XrayResult Xray, MriFinding Mri, bool OsteonecrosisFeatures, string? ResultDisplay, Resource Source)
{
    public bool HasResult => Xray != XrayResult.None || Mri != MriFinding.None || OsteonecrosisFeatures;

    public Evidence Evidence => new(ResultDisplay is null ? Display : $"{Display}: {ResultDisplay}", Date);
}

/// <summary>An imaging order (draft or active) of the record or of draftOrders.</summary>
internal sealed record OrderFact(ServiceRequest Order, ImagingClass Class)
{
    public Evidence Evidence => new($"{FhirFacts.Display(Order.Code, "imaging order")} ({Order.Status?.ToString().ToLowerInvariant() ?? "draft"})", FhirFacts.ParseDate(Order.AuthoredOn));
}

/// <summary>
/// The patient's facts, read once per request in one linear pass over the record: conditions by value set, imaging
/// events with their results, orders, labs, medications. Per-joint findings are derived from this (<see cref="JointFindings"/>).
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

    public Dictionary<string, Condition> ConditionsById { get; } = new(StringComparer.Ordinal);

    public static PatientFacts Build(EvaluationRequest request, Vocabulary vocabulary, ClinicalOptions options)
    {
        var facts = new PatientFacts(request.Now);
        facts.ReadPatient(request.Record.Patient);
        var resources = request.Record.Resources;
        foreach (var condition in resources.OfType<Condition>())
        {
            facts.ReadCondition(condition, vocabulary, options);
        }

        facts.ReadImaging(resources, vocabulary);
        foreach (var observation in resources.OfType<Observation>())
        {
            facts.ReadObservation(observation, vocabulary, options);
        }

        foreach (var order in resources.OfType<ServiceRequest>().Concat(request.DraftOrders.OfType<ServiceRequest>()))
        {
            facts.ReadOrder(order, vocabulary);
        }

        foreach (var resource in resources)
        {
            facts.ReadMedication(resource, vocabulary, options);
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
        var date = FhirFacts.DateOf(condition);
        ConditionFact? Fact(ConceptSet set) => set.Find(condition.Code) is { } concept
            ? new ConditionFact(condition, concept, JointOf(concept, condition, vocabulary), SideOf(concept, condition, vocabulary), date, active)
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

        // An infection without a clinical status counts only when recent.
        if (Fact(vocabulary.InfectionRedFlags) is { Active: true } infection
            && (condition.ClinicalStatus is not null || date is null || date >= Now.AddDays(-options.LabWindowDays)))
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

    private static Joint JointOf(ConceptEntry concept, Condition condition, Vocabulary vocabulary)
    {
        if (ImagingVocabulary.ParseJoint(concept.Attributes.Joint) is { } joint)
        {
            return joint;
        }

        foreach (var coding in BodySiteCodings.Of(condition.BodySite))
        {
            if (CodeKey.From(coding) is { } key && ImagingVocabulary.ParseJoint(vocabulary.BodySites.Find(key)?.Attributes.Joint) is { } site)
            {
                return site;
            }
        }

        return condition.BodySite.Select(site => ImagingTextParser.Parse(site.Text).Joint).FirstOrDefault(found => found is not null) ?? Joint.None;
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

    private void ReadImaging(IReadOnlyList<Resource> resources, Vocabulary vocabulary)
    {
        var studies = new Dictionary<string, (ImagingClass Class, DateTimeOffset? Date)>(StringComparer.Ordinal);
        foreach (var study in resources.OfType<ImagingStudy>())
        {
            if (study.Status is ImagingStudy.ImagingStudyStatus.Cancelled or ImagingStudy.ImagingStudyStatus.EnteredInError)
            {
                continue;
            }

            var kind = vocabulary.Classifier.Classify(study, FindCondition);
            var date = FhirFacts.ParseDate(study.Started);
            if (FhirFacts.ReferenceTo(study) is { } reference)
            {
                studies[reference] = (kind, date);
            }

            var display = study.Description ?? FhirFacts.Display(study.ProcedureCode.FirstOrDefault(), $"{kind.Modality} study");
            Imaging.Add(new ImagingEvent(kind, date, display, XrayResult.None, MriFinding.None, false, null, study));
        }

        var reportClasses = new Dictionary<string, (ImagingClass Class, DateTimeOffset? Date)>(StringComparer.Ordinal);
        foreach (var report in resources.OfType<DiagnosticReport>())
        {
            if (report.Status is DiagnosticReport.DiagnosticReportStatus.EnteredInError or DiagnosticReport.DiagnosticReportStatus.Cancelled)
            {
                continue;
            }

            var linked = report.ImagingStudy.Select(FhirFacts.Normalize).OfType<string>().Where(studies.ContainsKey).Select(key => studies[key]).ToList();
            var kind = vocabulary.Classifier.Classify(report, linked.Select(study => study.Class));
            var date = FhirFacts.DateOf(report) ?? linked.Select(study => study.Date).FirstOrDefault(found => found is not null);
            foreach (var result in report.Result.Select(FhirFacts.Normalize).OfType<string>())
            {
                reportClasses[result] = (kind, date);
            }

            var (xray, mri, on, shown) = Interpret(vocabulary, kind, report.ConclusionCode.SelectMany(concept => concept.Coding), report.Conclusion);
            var display = FhirFacts.Display(report.Code, $"{kind.Modality} report");
            Imaging.Add(new ImagingEvent(kind, date, display, xray, mri, on, shown, report));
        }

        foreach (var observation in resources.OfType<Observation>())
        {
            if (observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled)
            {
                continue;
            }

            var codings = (observation.Code?.Coding ?? []).Concat((observation.Value as CodeableConcept)?.Coding ?? []).ToList();
            var resultConcept = codings.Select(coding => CodeKey.From(coding)).OfType<CodeKey>()
                .Select(key => vocabulary.XrayNormal.Find(key) ?? vocabulary.XrayAbnormal.Find(key) ?? vocabulary.ImagingFinding.Find(key))
                .FirstOrDefault(found => found is not null);
            var text = (observation.Value as FhirString)?.Value;
            var isImaging = resultConcept is not null || vocabulary.ImagingOrders.Find(observation.Code) is not null
                || observation.Category.Any(category => FhirFacts.HasCode(category, "imaging"));
            if (!isImaging)
            {
                continue;
            }

            var sources = observation.DerivedFrom.Concat(observation.PartOf).Select(FhirFacts.Normalize).OfType<string>()
                .Select(key => studies.TryGetValue(key, out var study) ? study : reportClasses.TryGetValue(key, out var report) ? report : default)
                .Where(source => source.Class is not null).ToList();
            var own = FhirFacts.ReferenceTo(observation) is { } self && reportClasses.TryGetValue(self, out var parent) ? [parent] : new List<(ImagingClass Class, DateTimeOffset? Date)>();
            var kind = vocabulary.Classifier.Classify(observation, sources.Concat(own).Select(source => source.Class), resultConcept?.Attributes);
            var (xray, mri, on, shown) = Interpret(vocabulary, kind, codings, text);
            if (kind.Modality == Modality.Other)
            {
                // A coded X-ray result is an X-ray; a coded marrow finding without modality is read as an MRI.
                kind = kind with { Modality = xray != XrayResult.None ? Modality.XR : Modality.MR };
                (xray, mri, on, shown) = Interpret(vocabulary, kind, codings, text);
            }

            var date = FhirFacts.DateOf(observation) ?? sources.Concat(own).Select(source => source.Date).FirstOrDefault(found => found is not null);
            Imaging.Add(new ImagingEvent(kind, date, FhirFacts.Display(observation.Code, "imaging result"), xray, mri, on, shown, observation));
        }
    }

    /// <summary>A result: coded first (xray-normal / xray-abnormal / bmes-imaging-finding), then the report text.</summary>
    private static (XrayResult Xray, MriFinding Mri, bool On, string? Shown) Interpret(Vocabulary vocabulary, ImagingClass kind, IEnumerable<Coding> codings, string? text)
    {
        var xray = XrayResult.None;
        var mri = MriFinding.None;
        var on = false;
        string? shown = null;
        foreach (var key in codings.Select(coding => CodeKey.From(coding)).OfType<CodeKey>())
        {
            if (vocabulary.ImagingFinding.Find(key) is { } finding)
            {
                var coded = Vocabulary.Finding(finding.Key.Code);
                on |= coded == MriFinding.OsteonecrosisFeatures;
                mri = Stronger(mri, coded);
                shown ??= finding.Display;
            }
            else if (vocabulary.XrayAbnormal.Find(key) is { } abnormal)
            {
                xray = XrayResult.Abnormal;
                shown = abnormal.Display;
            }
            else if (vocabulary.XrayNormal.Find(key) is { } normal)
            {
                xray = xray == XrayResult.None ? XrayResult.Normal : xray;
                mri = Stronger(mri, key.Code == Vocabulary.EquivocalResultCode ? MriFinding.Equivocal : MriFinding.Other);
                shown ??= normal.Display;
            }
        }

        if (xray != XrayResult.None || mri != MriFinding.None || on)
        {
            return (kind.Modality == Modality.MR ? XrayResult.None : xray, mri, on, shown);
        }

        var reading = ReportTextReader.Read(text);
        if (!reading.SaysAnything)
        {
            return (XrayResult.None, string.IsNullOrWhiteSpace(text) ? MriFinding.None : MriFinding.Other, false, Quote(text));
        }

        xray = reading.Abnormal ? XrayResult.Abnormal : reading.Normal ? XrayResult.Normal : XrayResult.None;
        mri = reading.OsteonecrosisWords ? MriFinding.OsteonecrosisFeatures
            : reading.MarrowEdema ? MriFinding.BmePattern
            : reading.Equivocal ? MriFinding.Equivocal
            : MriFinding.Other;
        return (kind.Modality == Modality.MR ? XrayResult.None : xray, mri, reading.OsteonecrosisFeatures, Quote(text));
    }

    private static MriFinding Stronger(MriFinding a, MriFinding b) =>
        a == MriFinding.OsteonecrosisFeatures || b == MriFinding.None ? a
        : b == MriFinding.OsteonecrosisFeatures || a == MriFinding.None || a == MriFinding.Other ? b
        : a;

    private static string? Quote(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim().ReplaceLineEndings(" ");
        return trimmed.Length <= 120 ? $"\"{trimmed}\"" : $"\"{trimmed[..117]}...\"";
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
            Labs.Add(new LabValue(group, null, vocabulary.PregnancyStatusPregnant.Find(observation.Value as CodeableConcept) is not null, FhirFacts.DateOf(observation),
                new Evidence($"Pregnancy status: {FhirFacts.Display(observation.Value as CodeableConcept, "recorded")}", FhirFacts.DateOf(observation))));
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

    public static bool SameId(Resource a, Resource b) => !string.IsNullOrEmpty(a.Id) && a.Id == b.Id && a.TypeName == b.TypeName;

    private void ReadMedication(Resource resource, Vocabulary vocabulary, ClinicalOptions options)
    {
        var (concept, date, status, routes) = resource switch
        {
            MedicationRequest request => (request.Medication as CodeableConcept, FhirFacts.ParseDate(request.AuthoredOn), request.Status?.ToString(),
                request.DosageInstruction.Select(dosage => dosage.Route)),
            MedicationStatement statement => (statement.Medication as CodeableConcept, FhirFacts.DateOf(statement.Effective) ?? FhirFacts.ParseDate(statement.DateAsserted),
                statement.Status?.ToString(), statement.Dosage.Select(dosage => dosage.Route)),
            _ => (null, null, null, []),
        };
        if (concept is null || status is "EnteredInError" or "Cancelled" or "NotTaken")
        {
            return;
        }

        var keys = concept.Coding.Select(coding => CodeKey.From(coding)).OfType<CodeKey>().ToList();
        var text = string.Join(" ", concept.Coding.Select(coding => coding.Display).Append(concept.Text).OfType<string>());
        if (!vocabulary.Glucocorticoids.Matches(keys, text) || routes.Any(IsLocalRoute))
        {
            return;
        }

        // Active, or taken within the look-back (section 4, ON_RISK).
        if (status == "Active" || (date is { } when && when >= Now.AddYears(-options.GlucocorticoidLookbackYears)))
        {
            Glucocorticoids.Add(new Evidence(vocabulary.Glucocorticoids.Describe(keys, text) is { } name ? $"{FhirFacts.Display(concept, name)}" : "glucocorticoid", date));
        }
    }

    private static readonly string[] LocalRouteWords = ["topical", "cutaneous", "inhal", "ophthalmic", "otic", "nasal", "intra-articular", "intraarticular"];

    // Topical, inhaled or eye/ear/nose steroids are not systemic exposure.
    private static bool IsLocalRoute(CodeableConcept? route)
    {
        var words = string.Join(" ", (route?.Coding.Select(coding => coding.Display) ?? []).Append(route?.Text).OfType<string>()).ToLowerInvariant();
        return LocalRouteWords.Any(word => words.Contains(word, StringComparison.Ordinal));
    }

    private void ReadDevice(Resource resource, Vocabulary vocabulary)
    {
        if (resource is Device device && device.Status is not (Device.FHIRDeviceStatus.Inactive or Device.FHIRDeviceStatus.EnteredInError)
            && vocabulary.MriCaution.Find(device.Type) is { } concept)
        {
            MriCaution.Add(new Evidence($"{concept.Display} (device)", null));
        }
    }
}
