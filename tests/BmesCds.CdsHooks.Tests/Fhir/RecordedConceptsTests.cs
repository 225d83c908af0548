using System.Collections.Frozen;
using System.Text;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.Clinical.Findings;
using BmesCds.Clinical.Terminology;
using BmesCds.Testing;

namespace BmesCds.CdsHooks.Tests.Fhir;

/// <summary>
/// The walk records the codings and texts of coded elements as it passes them (<see cref="RecordedConcepts"/>), and the
/// relevance questions read those records: every answer must be the one the former view gave by re-reading the
/// element's JSON (<see cref="ReferenceResourceView"/>), for plain and odd JSON alike (escaped names and strings,
/// repeated members and elements, arrays of concepts, non-string values, texts longer than the stack buffer, more
/// codings than fit on the stack).
/// </summary>
public sealed class RecordedConceptsTests
{
    private static readonly RecordInterest Interest = new(Vocabulary.Terminology);

    // Real codes from each value set that decides relevance, so that the corpus holds relevant resources too.
    private static readonly (string System, string Code)[] GatingCodes =
    [
        .. RecordInterest.GatingValueSets.Distinct().Select(url => Vocabulary.Terminology[url].Ordered[0].Key).Select(key => (key.System, key.Code)),
    ];

    private static readonly string[] Types =
    [
        "Observation", "Condition", "DiagnosticReport", "ServiceRequest", "MedicationRequest", "MedicationStatement",
        "MedicationAdministration", "Device", "Patient", "Medication", "ImagingStudy", "Encounter",
    ];

    private static readonly string[] Texts =
    [
        "MR HIP LT WO", "XR chest 2 views", "CBC panel", "predniSONE 20 mg tablet", "ibuprofen", "Glucose [Mass/volume]", string.Empty,
        "CT pelvis", "hydrocortisone", "\u00e9tude IRM", new string('x', 300) + " MRI hip", new string('y', 255) + "MR",
        new string('z', 400) + " prednisone",
    ];

    private static readonly string[] OtherCodes = ["imaging", "RAD", "laboratory", " imaging ", "LP29684-5", "vital-signs", "1988-5", "2951-2"];

    private static readonly string[] OtherSystems =
    [
        "http://loinc.org", "http://snomed.info/sct", "http://terminology.hl7.org/CodeSystem/observation-category", string.Empty,
        "http://terminology.hl7.org/CodeSystem/v2-0074", new string('s', 300),
    ];

    [Test]
    public void Every_answer_equals_the_former_views_over_a_varied_corpus()
    {
        var random = new Random(20261201);
        var compared = 0;
        var relevant = 0;
        var growth = 0;
        for (var i = 0; i < 3000; i++)
        {
            var json = new Corpus(random).Resource();
            var bytes = Encoding.UTF8.GetBytes(json);
            var recorded = new List<string>();
            var walker = new FhirJsonWalker(Interest, (string type, scoped in JsonResourceView view) =>
            {
                recorded.Add(Describe(type, view));
                return false;
            });
            Walk(walker, bytes);
            if (recorded.Count == 0)
            {
                continue;
            }

            var (type, reference) = Reference(bytes);
            Assert.That(recorded.Single(), Is.EqualTo(reference), json);
            compared++;
            relevant += reference.Contains("relevant=True", StringComparison.Ordinal) ? 1 : 0;
            growth += json.Split("\"system\"").Length > 17 ? 1 : 0;
            _ = type;
        }

        // The corpus must exercise both answers and the pooled growth, or the comparison proves little.
        Assert.That(compared, Is.GreaterThan(2000));
        Assert.That(relevant, Is.InRange(compared / 10, compared * 9 / 10));
        Assert.That(growth, Is.GreaterThan(20));
    }

    [Test]
    public void An_imaging_order_named_only_at_the_end_of_a_long_escaped_text_is_relevant()
    {
        var text = new string('a', 400) + "\\u0020MRI\\u0020hip";
        var found = FhirRecords.Walk(Encoding.UTF8.GetBytes($$$"""{"resourceType":"ServiceRequest","code":{"text":"{{{text}}}"}}"""));
        Assert.That(found.Resources.Single().Relevant, Is.True);
    }

    [Test]
    public void A_matching_coding_after_more_codings_than_fit_on_the_stack_is_found()
    {
        var (system, code) = GatingCodes[0];
        var others = string.Join(",", Enumerable.Range(0, 40).Select(i => $$"""{"system":"http://loinc.org","code":"x{{i}}","display":"other {{i}}"}"""));
        var found = FhirRecords.Walk(Encoding.UTF8.GetBytes(
            $$$"""{"resourceType":"Condition","code":{"coding":[{{{others}}},{"system":"{{{system}}}","code":"{{{code}}}"}]}}"""));
        Assert.That(found.Resources.Single().Relevant, Is.True);
    }

    [Test]
    public void An_element_named_twice_is_read_as_its_last_occurrence()
    {
        var (system, code) = GatingCodes[0];
        var first = $$$"""{"coding":[{"system":"{{{system}}}","code":"{{{code}}}"}]}""";
        Assert.Multiple(() =>
        {
            Assert.That(Relevant($$"""{"resourceType":"Condition","code":{{first}},"code":null}"""), Is.False);
            Assert.That(Relevant($$"""{"resourceType":"Condition","code":{"text":"x"},"c\u006fde":{{first}}}"""), Is.True);
        });
    }

    private static bool Relevant(string json) => FhirRecords.Walk(Encoding.UTF8.GetBytes(json)).Resources.Single().Relevant;

    private static void Walk(FhirJsonWalker walker, byte[] json)
    {
        var reader = new LimitedJsonReader(json, new RequestLimits());
        reader.Next();
        walker.Walk(ref reader, json, new ResourcePath("test"), new WalkResult(), ResourceBudget.Unlimited);
    }

    private static (string Type, string Answers) Reference(byte[] json)
    {
        var (ranges, presence) = ReferenceResourceView.Of(json);
        var type = System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject().Last(member => member.Name == "resourceType").Value.GetString()!;
        var view = new ReferenceResourceView(json, ranges, presence);
        var codings = new List<List<string>>();
        foreach (var element in RecordInterest.CodedElements)
        {
            var collector = new Collector();
            view.Visit(element, ref collector);
            codings.Add(collector.Codings);
        }

        return (type, Describe(type, view, codings));
    }

    private static string Describe(string type, scoped in JsonResourceView view)
    {
        var codings = new List<List<string>>();
        foreach (var element in RecordInterest.CodedElements)
        {
            var collector = new Collector();
            view.Visit(element, ref collector);
            codings.Add(collector.Codings);
        }

        return Describe(type, view, codings);
    }

    // Every question, with every set the rules use and some others, and what each coding and text was read as.
    private static string Describe<TView>(string type, scoped in TView view, List<List<string>> codings)
        where TView : IResourceView, allows ref struct
    {
        var text = new StringBuilder($"{type} relevant={Interest.IsRelevant(type, view)}");
        var lookup = new CodeLookup([new ConceptSet("test", GatingCodes.Select(key => new ConceptEntry(new CodeKey(key.System, key.Code), "t", ConceptAttributes.None)))]);
        for (var i = 0; i < RecordInterest.CodedElements.Count; i++)
        {
            var element = RecordInterest.CodedElements[i];
            var texts = new List<string>();
            view.AnyText(element, value =>
            {
                texts.Add(value.ToString());
                return false;
            });
            text.Append($" | {element}: coding={view.HasCoding(element)} in={view.AnyCodingIn(element, lookup)} codeIn={view.AnyCodeIn(element, AllCodes)}")
                .Append($" codings=[{string.Join(", ", codings[i])}] texts=[{string.Join(", ", texts)}]");
        }

        foreach (var element in RecordInterest.PresenceElements)
        {
            text.Append($" | {element}: {view.Has(element)}");
        }

        return text.ToString();
    }

    private static readonly FrozenSet<string> AllCodes = GatingCodes.Select(key => key.Code).Concat(OtherCodes).Select(code => code.Trim()).ToFrozenSet();

    private sealed class Collector : JsonResourceView.ICodingVisitor
    {
        public List<string> Codings { get; } = [];

        public bool Visit(ReadOnlySpan<byte> system, ReadOnlySpan<byte> code)
        {
            Codings.Add($"{Encoding.UTF8.GetString(system)}|{Encoding.UTF8.GetString(code)}");
            return false;
        }
    }

    /// <summary>Random resources shaped like FHIR, with the odd cases the walk must treat exactly as before.</summary>
    private sealed class Corpus(Random random)
    {
        public string Resource()
        {
            var members = new List<string>();
            var type = Types[random.Next(Types.Length)];
            members.Add($"{Name("resourceType")}:{Escaped(type, 0.1)}");
            members.Add("\"id\":\"r\"");
            foreach (var element in RecordInterest.CodedElements)
            {
                for (var times = random.Next(3) == 0 ? 0 : 1 + (random.Next(5) == 0 ? 1 : 0); times > 0; times--)
                {
                    members.Add($"{Name(element)}:{Element()}");
                }
            }

            foreach (var element in RecordInterest.PresenceElements)
            {
                if (random.Next(3) == 0)
                {
                    members.Add($"{Name(element)}:{Pick("null", "{\"reference\":\"Medication/m\"}", "[{\"reference\":\"ImagingStudy/i\"}]", "1")}");
                }
            }

            members.Add("\"status\":\"final\"");
            members.Add("\"subject\":{\"reference\":\"Patient/p\",\"display\":\"code\"}");
            Shuffle(members);
            return "{" + string.Join(",", members) + "}";
        }

        private string Element() => random.Next(10) switch
        {
            < 5 => Concept(),
            < 8 => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(5) == 0 ? Pick("1", "\"x\"", "null", "[]") : Concept())) + "]",
            _ => Pick("\"code\"", "5", "null", "{}", "[]", "true"),
        };

        private string Concept()
        {
            var members = new List<string>();
            for (var times = random.Next(6) == 0 ? 2 : 1; times > 0; times--)
            {
                members.Add($"{Name("coding")}:{Codings()}");
            }

            if (random.Next(2) == 0)
            {
                members.Add($"{Name("text")}:{(random.Next(6) == 0 ? Pick("7", "null", "{\"a\":1}") : String(Texts))}");
            }

            if (random.Next(4) == 0)
            {
                members.Add("\"extension\":[{\"url\":\"http://x\",\"valueString\":\"code\",\"coding\":[{\"system\":\"s\",\"code\":\"c\"}]}]");
            }

            Shuffle(members);
            return "{" + string.Join(",", members) + "}";
        }

        private string Codings() => random.Next(8) switch
        {
            0 => Pick("\"x\"", "null", "{}", "{\"system\":\"http://loinc.org\",\"code\":\"1988-5\"}"),
            _ => "[" + string.Join(",", Enumerable.Range(0, random.Next(12) == 0 ? 20 + random.Next(20) : random.Next(4)).Select(_ => random.Next(8) == 0 ? Pick("3", "\"s\"", "null", "[]") : Coding())) + "]",
        };

        private string Coding()
        {
            var members = new List<string>();
            var (system, code) = random.Next(3) == 0 ? GatingCodes[random.Next(GatingCodes.Length)] : (Pick(OtherSystems), Pick(OtherCodes));
            if (random.Next(8) != 0)
            {
                members.Add($"{Name("system")}:{(random.Next(10) == 0 ? Pick("1", "null", "{}") : Escaped(system, 0.2))}");
            }

            if (random.Next(8) != 0)
            {
                members.Add($"{Name("code")}:{(random.Next(10) == 0 ? Pick("{\"x\":2}", "null", "[\"a\"]") : Escaped(random.Next(10) == 0 ? $" {code} " : code, 0.2))}");
            }

            if (random.Next(2) == 0)
            {
                members.Add($"{Name("display")}:{(random.Next(8) == 0 ? "5" : String(Texts))}");
            }

            if (random.Next(10) == 0)
            {
                // Repeated: the last string wins, a later non-string leaves the earlier one.
                members.Add($"{Name(Pick("system", "code"))}:{Pick("2", "\"http://snomed.info/sct\"", "\"M25.552\"")}");
            }

            if (random.Next(5) == 0)
            {
                members.Add("\"version\":\"1\"");
            }

            Shuffle(members);
            return "{" + string.Join(",", members) + "}";
        }

        private string String(string[] choices) => Escaped(Pick(choices), 0.2);

        // A JSON string, its characters sometimes written as escapes.
        private string Escaped(string value, double share)
        {
            var text = new StringBuilder("\"");
            foreach (var c in value)
            {
                text.Append(random.NextDouble() < share ? $"\\u{(int)c:x4}" : c == '/' && random.Next(2) == 0 ? "\\/" : c.ToString());
            }

            return text.Append('"').ToString();
        }

        // A member name, sometimes with an escaped letter (which names the same member).
        private string Name(string name) => random.Next(12) == 0 ? $"\"{name[0]}\\u{(int)name[1]:x4}{name[2..]}\"" : $"\"{name}\"";

        private string Pick(params string[] choices) => choices[random.Next(choices.Length)];

        private void Shuffle(List<string> items)
        {
            for (var i = items.Count - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
        }
    }
}
