using System.Text.Json.Nodes;

namespace BmesCds.Benchmarks;

/// <summary>
/// A large, realistic order-select request: a few relevant facts buried in hundreds of irrelevant resources, as an
/// EHR's prefetch delivers them (vital signs, chemistry panels, unrelated problems and orders).
/// </summary>
internal static class SyntheticHook
{
    public static string Build(int irrelevantObservations, int irrelevantConditions)
    {
        var observations = new JsonArray();
        for (var i = 0; i < irrelevantObservations; i++)
        {
            observations.Add(Entry(new JsonObject
            {
                ["resourceType"] = "Observation",
                ["id"] = $"obs-{i}",
                ["status"] = "final",
                ["category"] = new JsonArray(new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/observation-category", ["code"] = "laboratory" }) }),
                ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = i % 2 == 0 ? "2345-7" : "2160-0", ["display"] = "Chemistry" }) },
                ["subject"] = new JsonObject { ["reference"] = "Patient/p-1" },
                ["effectiveDateTime"] = $"2026-{1 + (i % 11):00}-{1 + (i % 27):00}T08:00:00Z",
                ["valueQuantity"] = new JsonObject { ["value"] = 90 + (i % 40), ["unit"] = "mg/dL", ["system"] = "http://unitsofmeasure.org", ["code"] = "mg/dL" },
                ["referenceRange"] = new JsonArray(new JsonObject { ["low"] = new JsonObject { ["value"] = 70 }, ["high"] = new JsonObject { ["value"] = 110 } }),
            }));
        }

        observations.Add(Entry(Lab("crp-1", "1988-5", 3, "mg/L")));
        observations.Add(Entry(Lab("esr-1", "4537-7", 8, "mm/h")));
        var conditions = new JsonArray();
        for (var i = 0; i < irrelevantConditions; i++)
        {
            conditions.Add(Entry(Condition($"cond-{i}", "http://snomed.info/sct", (38341003 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "Unrelated problem")));
        }

        conditions.Add(Entry(Condition("pain-1", "http://hl7.org/fhir/sid/icd-10-cm", "M25.552", "Pain in left hip")));
        var request = new JsonObject
        {
            ["hookInstance"] = "5b0b4f4e-6a0f-4f0e-9f43-0d4c6f2b9a11",
            ["hook"] = "order-select",
            ["fhirServer"] = "https://ehr.example.org/fhir",
            ["context"] = new JsonObject
            {
                ["patientId"] = "p-1",
                ["userId"] = "Practitioner/pr-1",
                ["selections"] = new JsonArray("ServiceRequest/ct-1"),
                ["draftOrders"] = new JsonObject
                {
                    ["resourceType"] = "Bundle",
                    ["type"] = "collection",
                    ["entry"] = new JsonArray(Entry(new JsonObject
                    {
                        ["resourceType"] = "ServiceRequest",
                        ["id"] = "ct-1",
                        ["status"] = "draft",
                        ["intent"] = "order",
                        ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "36487-7", ["display"] = "CT Hip left WO contrast" }) },
                        ["subject"] = new JsonObject { ["reference"] = "Patient/p-1" },
                    })),
                },
            },
            ["prefetch"] = new JsonObject
            {
                ["patient"] = new JsonObject { ["resourceType"] = "Patient", ["id"] = "p-1", ["gender"] = "male", ["birthDate"] = "1982-03-01" },
                ["conditions"] = Searchset(conditions),
                ["observations"] = Searchset(observations),
                ["imagingObservations"] = Searchset([]),
                ["imagingStudies"] = Searchset([]),
                ["diagnosticReports"] = Searchset([]),
                ["serviceRequests"] = Searchset([]),
                ["medicationRequests"] = Searchset([]),
                ["medicationStatements"] = Searchset([]),
                ["medicationAdministrations"] = Searchset([]),
            },
        };
        return request.ToJsonString();
    }

    private static JsonObject Entry(JsonObject resource) => new() { ["resource"] = resource };

    private static JsonObject Searchset(JsonArray entries) => new()
    {
        ["resourceType"] = "Bundle",
        ["type"] = "searchset",
        ["total"] = entries.Count,
        ["entry"] = entries,
    };

    private static JsonObject Lab(string id, string loinc, decimal value, string unit) => new()
    {
        ["resourceType"] = "Observation",
        ["id"] = id,
        ["status"] = "final",
        ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = loinc }) },
        ["subject"] = new JsonObject { ["reference"] = "Patient/p-1" },
        ["effectiveDateTime"] = "2026-11-20T08:00:00Z",
        ["valueQuantity"] = new JsonObject { ["value"] = value, ["unit"] = unit, ["system"] = "http://unitsofmeasure.org", ["code"] = unit },
    };

    private static JsonObject Condition(string id, string system, string code, string display) => new()
    {
        ["resourceType"] = "Condition",
        ["id"] = id,
        ["clinicalStatus"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/condition-clinical", ["code"] = "active" }) },
        ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code, ["display"] = display }) },
        ["subject"] = new JsonObject { ["reference"] = "Patient/p-1" },
        ["onsetDateTime"] = "2026-10-20",
    };
}
