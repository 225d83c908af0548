using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Rules;
using BmesCds.Clinical.Tests.Support;
using CsCheck;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Tests;

/// <summary>
/// For any request (random mixes of resources, missing fields, odd codes, random and malformed dates) the engine never
/// throws, every card is well-formed, and the order of the record's resources does not change the cards.
/// </summary>
public class PropertyTests
{
    private static readonly (string? System, string? Code)[] Codes = BuildCodes();
    private static readonly string?[] Dates = [null, "", "2026", "2026-11", "2026-13-45", "not a date", "2030-01-01", "1900-01-01T00:00:00Z"];
    private static readonly HashSet<string> RuleIds = [.. RuleCatalogue.All.Select(rule => rule.Id)];

    [Test]
    public void Any_request_never_throws_and_every_card_is_well_formed()
    {
        var engine = Fixtures.Engine();
        var cardCount = 0;
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, 40], Gen.Int[0, 2]).Sample((seed, count, hook) =>
        {
            var request = Build(new Random(seed), count, (HookKind)hook);
            var cards = engine.Evaluate(request, guarded: false);
            cardCount += cards.Count;

            // Same facts in any order, same cards.
            var reversed = request with { Record = request.Record with { Resources = [.. request.Record.Resources.Reverse()] } };
            Assert.That(engine.Evaluate(reversed, guarded: false).Select(CardDump.Describe), Is.EqualTo(cards.Select(CardDump.Describe)));
            foreach (var card in cards)
            {
                Check(card);
            }
        }, iter: int.TryParse(Environment.GetEnvironmentVariable("BMES_PROPERTY_ITER"), out var iterations) ? iterations : 600, threads: 1);

        // The generator must reach the rules, not only the silences.
        Assert.That(cardCount, Is.GreaterThan(0));
        TestContext.Out.WriteLine($"{cardCount} cards checked");
    }

    private static void Check(CardDraft card)
    {
        Assert.That(card.Summary, Has.Length.InRange(1, 139));
        Assert.That(RuleIds, Does.Contain(card.RuleId));
        if (card.Suggestions.Count > 0)
        {
            Assert.That(card.Suggestions.Count(suggestion => suggestion.IsRecommended), Is.EqualTo(1));
        }

        foreach (var action in card.Suggestions.SelectMany(suggestion => suggestion.Actions))
        {
            if (action.Kind == ActionKind.Delete)
            {
                Assert.That((action.ResourceId, action.Resource), Is.EqualTo((action.ResourceId!, (Resource?)null)));
                Assert.That(action.ResourceId, Does.StartWith("ServiceRequest/"));
            }
            else
            {
                Assert.That(action.Resource, Is.Not.Null);
            }
        }
    }

    private static EvaluationRequest Build(Random random, int count, HookKind hook)
    {
        var record = new List<Resource>();
        var drafts = new List<Resource>();
        for (var i = 0; i < count; i++)
        {
            var resource = Resource(random, i);
            if (resource is ServiceRequest && random.Next(2) == 0)
            {
                drafts.Add(resource);
            }
            else
            {
                record.Add(resource);
            }
        }

        if (random.Next(3) > 0)
        {
            AddCoherentCore(random, record, drafts);
        }

        var selections = drafts.Select(draft => $"ServiceRequest/{draft.Id}").Where(_ => random.Next(3) > 0).Append("ServiceRequest/unknown").ToList();
        var patient = random.Next(4) == 0 ? null : new Patient
        {
            Gender = (AdministrativeGender)random.Next(4),
            BirthDate = Pick(random, Dates),
        };
        var user = Pick(random, new[] { null, "Practitioner/x", "Patient/y", "" });
        var encounter = random.Next(2) == 0 ? null : "enc";
        return new EvaluationRequest(new HookContext(hook, "p", user, encounter, selections), drafts, new PatientRecord(patient, record), Fixtures.Now);
    }

    // Plausible facts (pain, a recent X-ray, an imaging order, sometimes risk factors) so that rules fire, not only silences.
    private static void AddCoherentCore(Random random, List<Resource> record, List<Resource> drafts)
    {
        string Recent() => Fixtures.Now.AddDays(-random.Next(0, 120)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        CodeableConcept From(string url) => new() { Coding = [Pick(random, Fixtures.Terminology[url].Ordered) is var entry ? new Coding(entry.Key.System, entry.Key.Code, entry.Display) : null!] };
        const string Base = "https://bmes-cds.org/fhir/ValueSet/";
        var pain = From(Base + "joint-pain");
        var joint = Fixtures.Terminology[Base + "joint-pain"].Find(pain)?.Attributes.Joint;
        var sameJoint = Fixtures.Terminology[Base + "imaging-orders"].Ordered.Where(entry => entry.Attributes.Joint == joint).ToList();
        CodeableConcept OrderCode() => sameJoint.Count > 0 && random.Next(4) > 0 && Pick(random, sameJoint) is var entry
            ? new CodeableConcept(entry.Key.System, entry.Key.Code, entry.Display)
            : From(Base + "imaging-orders");
        record.Add(new Condition { Id = "pain", Code = pain, Onset = new FhirDateTime(Recent()), BodySite = random.Next(2) == 0 ? [] : [From(Base + "body-sites")] });
        record.Add(new DiagnosticReport
        {
            Id = "xr",
            Status = DiagnosticReport.DiagnosticReportStatus.Final,
            Code = OrderCode(),
            Effective = new FhirDateTime(Recent()),
            ConclusionCode = [From(Base + (random.Next(3) == 0 ? "xray-abnormal" : "xray-normal"))],
            Conclusion = Pick(random, new[] { null, "Bone marrow edema pattern.", "Crescent sign.", "Equivocal." }),
        });
        foreach (var set in new[] { "osteonecrosis-risk-factors", "pregnancy", "mri-caution", "osteonecrosis" })
        {
            if (random.Next(4) == 0)
            {
                record.Add(new Condition { Id = set, Code = From(Base + set), Onset = new FhirDateTime(Recent()) });
            }
        }

        for (var i = random.Next(1, 4); i > 0; i--)
        {
            drafts.Add(new ServiceRequest
            {
                Id = $"order{i}",
                Status = RequestStatus.Draft,
                Code = OrderCode(),
                BodySite = random.Next(2) == 0 ? [] : [From(Base + "body-sites")],
                ReasonCode = random.Next(2) == 0 ? [] : [From(Base + "joint-pain")],
            });
        }
    }

    private static Resource Resource(Random random, int index)
    {
        var id = random.Next(5) == 0 ? null : $"r{index}";
        var concept = Concept(random);
        var date = Pick(random, Dates);
        return random.Next(8) switch
        {
            0 => new Condition
            {
                Id = id,
                Code = concept,
                ClinicalStatus = random.Next(3) == 0 ? null : new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", Pick(random, new[] { "active", "resolved", "inactive", "odd" })),
                VerificationStatus = random.Next(3) == 0 ? null : new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", Pick(random, new[] { "confirmed", "refuted", "entered-in-error" })),
                Onset = date is null ? null : new FhirDateTime(date),
                BodySite = random.Next(2) == 0 ? [] : [Concept(random), Concept(random)],
            },
            1 => new Observation
            {
                Id = id,
                Status = (ObservationStatus)random.Next(8),
                Code = concept,
                Effective = date is null ? null : new FhirDateTime(date),
                Value = random.Next(3) switch
                {
                    0 => new Quantity((decimal)(random.NextDouble() * 200), Pick(random, new[] { "mg/L", "mg/dL", "10*3/uL", "/uL", "[degF]", "Cel", "???", null! })),
                    1 => Concept(random),
                    _ => new FhirString(Pick(random, new[] { "crescent", "normal", "no collapse", "" })),
                },
                Interpretation = random.Next(2) == 0 ? [] : [new CodeableConcept("x", Pick(random, new[] { "H", "N", "L", "A" }))],
            },
            2 => new DiagnosticReport
            {
                Id = id,
                Status = (DiagnosticReport.DiagnosticReportStatus)random.Next(10),
                Code = concept,
                Effective = date is null ? null : new FhirDateTime(date),
                Conclusion = Pick(random, new[] { null, "Normal.", "Crescent sign. No collapse", "bone marrow edema", "Double line sign; AVN" }),
                ConclusionCode = random.Next(2) == 0 ? [] : [Concept(random)],
                ImagingStudy = random.Next(2) == 0 ? [] : [new ResourceReference($"ImagingStudy/r{random.Next(40)}")],
                Result = random.Next(2) == 0 ? [] : [new ResourceReference($"Observation/r{random.Next(40)}")],
            },
            3 => new ImagingStudy
            {
                Id = id,
                Status = (ImagingStudy.ImagingStudyStatus)random.Next(5),
                Started = date,
                Description = Pick(random, new[] { null, "MR HIP LT WO", "XR KNEE", "CT ankle right" }),
                Series = random.Next(2) == 0 ? [] : [new ImagingStudy.SeriesComponent { Modality = new Coding("dcm", Pick(random, new[] { "MR", "DX", "CT", "ZZ" })), Laterality = CodingOf(random) }],
            },
            4 or 5 => new ServiceRequest
            {
                Id = id,
                Status = random.Next(4) == 0 ? null : (RequestStatus)random.Next(7),
                Code = random.Next(6) == 0 ? null : concept,
                BodySite = random.Next(2) == 0 ? [] : [Concept(random)],
                ReasonCode = random.Next(2) == 0 ? [] : [Concept(random)],
                ReasonReference = random.Next(3) == 0 ? [new ResourceReference($"Condition/r{random.Next(40)}")] : [],
                AuthoredOn = date,
            },
            6 => new MedicationRequest
            {
                Id = id,
                Status = random.Next(3) == 0 ? null : (MedicationRequest.MedicationrequestStatus)random.Next(8),
                Medication = random.Next(4) == 0 ? new ResourceReference("Medication/m") : concept,
                AuthoredOn = date,
            },
            _ => new Device { Id = id, Type = concept, Status = random.Next(2) == 0 ? null : Device.FHIRDeviceStatus.Active },
        };
    }

    private static CodeableConcept Concept(Random random)
    {
        var concept = new CodeableConcept { Text = Pick(random, new[] { null, "MR HIP LT WO+W", "left", "hip pain", "prednisone 5 mg", "" }) };
        for (var i = random.Next(3); i > 0; i--)
        {
            concept.Coding.Add(CodingOf(random)!);
        }

        return concept;
    }

    private static Coding? CodingOf(Random random)
    {
        var (system, code) = Pick(random, Codes);
        return new Coding(system, code);
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static (string?, string?)[] BuildCodes() =>
    [
        .. Fixtures.Terminology.All.SelectMany(set => set.Concepts).Select(concept => ((string?)concept.Key.System, (string?)concept.Key.Code)),
        (null, "M25.552"), ("http://snomed.info/sct", null), ("http://x.org", "zzz"), ("", ""),
    ];
}
