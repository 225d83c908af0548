using System.Globalization;
using System.Text.Json.Nodes;

namespace BmesCds.Testing;

/// <summary>
/// Realistic large hook requests for benchmarks and load runs: worked case C1 (CT of the left hip after a normal X-ray)
/// with its few relevant facts buried among hundreds of resources an EHR's prefetch delivers and the rules do not
/// read (chemistry and vital signs, other problems, other medications, lab orders and lab reports).
/// </summary>
public static class LargeRequests
{
    public const string C1File = "C1-ct-after-normal-left-hip-xray.request.json";

    /// <summary>The C1 sample request, as checked in.</summary>
    public static byte[] C1() => File.ReadAllBytes(Path.Combine(Repository.Cases, C1File));

    /// <summary>C1 with <paramref name="resources"/> prefetched resources in all (its own five included).</summary>
    public static byte[] C1With(int resources)
    {
        var request = JsonNode.Parse(C1())!.AsObject();
        var prefetch = request["prefetch"]!.AsObject();
        var patient = request["context"]!["patientId"]!.GetValue<string>();
        for (var i = 0; i < resources - 5; i++)
        {
            var (key, resource) = (i % 10) switch
            {
                < 5 => ("observations", Lab(patient, i)),
                5 or 6 => ("conditions", Problem(patient, i)),
                7 => ("medicationRequests", Medication(patient, i)),
                8 => ("serviceRequests", LabOrder(patient, i)),
                _ => ("diagnosticReports", LabReport(patient, i)),
            };
            Entries(prefetch, key).Add(new JsonObject { ["fullUrl"] = $"urn:uuid:{Guid.NewGuid()}", ["resource"] = resource, ["search"] = new JsonObject { ["mode"] = "match" } });
        }

        return System.Text.Encoding.UTF8.GetBytes(request.ToJsonString());
    }

    private static JsonArray Entries(JsonObject prefetch, string key)
    {
        var bundle = prefetch[key]!.AsObject();
        if (bundle["entry"] is not JsonArray entries)
        {
            bundle["entry"] = entries = [];
        }

        return entries;
    }

    private static readonly (string Code, string Display, string Unit, double Low, double High)[] Labs =
    [
        ("2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", 70, 110),
        ("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", 0.7, 1.3),
        ("2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L", 135, 145),
        ("2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", 3.5, 5.1),
        ("8867-4", "Heart rate", "/min", 60, 100),
        ("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 13.5, 17.5),
    ];

    private static JsonObject Lab(string patient, int i)
    {
        var lab = Labs[i % Labs.Length];
        var value = Math.Round(lab.Low + ((lab.High - lab.Low) * ((i * 37) % 100) / 100.0), 1);
        return new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = $"lab-{i}",
            ["meta"] = new JsonObject { ["lastUpdated"] = Date(i) + "T08:15:00Z" },
            ["status"] = "final",
            ["category"] = Concept("http://terminology.hl7.org/CodeSystem/observation-category", lab.Code == "8867-4" ? "vital-signs" : "laboratory", null, asArray: true),
            ["code"] = Concept("http://loinc.org", lab.Code, lab.Display),
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
            ["effectiveDateTime"] = Date(i) + "T08:00:00Z",
            ["issued"] = Date(i) + "T09:30:00Z",
            ["valueQuantity"] = new JsonObject { ["value"] = value, ["unit"] = lab.Unit, ["system"] = "http://unitsofmeasure.org", ["code"] = lab.Unit },
            ["referenceRange"] = new JsonArray(new JsonObject { ["low"] = new JsonObject { ["value"] = lab.Low }, ["high"] = new JsonObject { ["value"] = lab.High } }),
        };
    }

    private static readonly (string Code, string Display)[] Problems =
    [
        ("38341003", "Hypertensive disorder"), ("44054006", "Diabetes mellitus type 2"), ("55822004", "Hyperlipidemia"),
        ("195967001", "Asthma"), ("35489007", "Depressive disorder"), ("267036007", "Dyspnea"),
    ];

    private static JsonObject Problem(string patient, int i)
    {
        var problem = Problems[i % Problems.Length];
        return new JsonObject
        {
            ["resourceType"] = "Condition",
            ["id"] = $"problem-{i}",
            ["clinicalStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null),
            ["verificationStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", null),
            ["category"] = Concept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", null, asArray: true),
            ["code"] = Concept("http://snomed.info/sct", problem.Code, problem.Display),
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
            ["onsetDateTime"] = $"20{10 + (i % 15):00}-0{1 + (i % 9)}-1{i % 9}",
            ["recordedDate"] = Date(i),
        };
    }

    private static readonly (string Code, string Display)[] Drugs =
    [
        ("860975", "metformin hydrochloride 500 MG Extended Release Oral Tablet"), ("314076", "lisinopril 10 MG Oral Tablet"),
        ("617312", "atorvastatin 10 MG Oral Tablet"), ("197361", "amlodipine 5 MG Oral Tablet"),
    ];

    private static JsonObject Medication(string patient, int i)
    {
        var drug = Drugs[i % Drugs.Length];
        return new JsonObject
        {
            ["resourceType"] = "MedicationRequest",
            ["id"] = $"med-{i}",
            ["status"] = "active",
            ["intent"] = "order",
            ["medicationCodeableConcept"] = Concept("http://www.nlm.nih.gov/research/umls/rxnorm", drug.Code, drug.Display),
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
            ["authoredOn"] = Date(i),
            ["dosageInstruction"] = new JsonArray(new JsonObject { ["text"] = "1 tablet by mouth daily", ["route"] = Concept("http://snomed.info/sct", "26643006", "Oral route") }),
        };
    }

    private static JsonObject LabOrder(string patient, int i) => new()
    {
        ["resourceType"] = "ServiceRequest",
        ["id"] = $"order-{i}",
        ["status"] = "completed",
        ["intent"] = "order",
        ["category"] = Concept("http://snomed.info/sct", "108252007", "Laboratory procedure", asArray: true),
        ["code"] = Concept("http://loinc.org", "24323-8", "Comprehensive metabolic 2000 panel - Serum or Plasma"),
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
        ["authoredOn"] = Date(i) + "T07:00:00Z",
        ["requester"] = new JsonObject { ["reference"] = "Practitioner/pr-1", ["display"] = "Dr. Example" },
    };

    private static JsonObject LabReport(string patient, int i) => new()
    {
        ["resourceType"] = "DiagnosticReport",
        ["id"] = $"panel-{i}",
        ["status"] = "final",
        ["category"] = Concept("http://terminology.hl7.org/CodeSystem/v2-0074", "LAB", "Laboratory", asArray: true),
        ["code"] = Concept("http://loinc.org", "24323-8", "Comprehensive metabolic 2000 panel - Serum or Plasma"),
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
        ["effectiveDateTime"] = Date(i) + "T08:00:00Z",
        ["issued"] = Date(i) + "T10:00:00Z",
        ["result"] = new JsonArray(new JsonObject { ["reference"] = $"Observation/lab-{i}" }),
    };

    private static JsonNode Concept(string system, string code, string? display, bool asArray = false)
    {
        var coding = new JsonObject { ["system"] = system, ["code"] = code };
        if (display is not null)
        {
            coding["display"] = display;
        }

        var concept = new JsonObject { ["coding"] = new JsonArray(coding) };
        return asArray ? new JsonArray(concept) : concept;
    }

    private static string Date(int i) => new DateOnly(2026, 1, 1).AddDays(i % 330).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
