using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.PatientData;

/// <summary>
/// A patient with data under every prefetch key, as the EHR would prefetch it (what each template returns),
/// plus distractors the templates must not return (another patient, a lab code the service did not ask for).
/// </summary>
public static class TestPatient
{
    public const string Id = "bmes-1";

    private const string Loinc = "http://loinc.org";
    private const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

    /// <summary>Every advertised key, filled.</summary>
    public static JsonObject Prefetch(string id = Id) => new()
    {
        ["patient"] = Patient(id),
        ["conditions"] = Searchset(
            Resource("Condition", $"{id}-knee-pain", id, new JsonObject
            {
                ["clinicalStatus"] = Codes("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
                ["code"] = Codes("http://snomed.info/sct", "30989003"),
                ["onsetDateTime"] = "2026-10-01",
            }),
            Resource("Condition", $"{id}-pregnancy", id, new JsonObject
            {
                ["code"] = Codes("http://snomed.info/sct", "77386006"),
            })),
        ["observations"] = Searchset(
            Lab(id, "crp", "1988-5", "2026-11-20"),
            Lab(id, "esr", "4537-7", "2026-11-19")),
        ["imagingObservations"] = Searchset(
            Resource("Observation", $"{id}-xray-finding", id, new JsonObject
            {
                ["status"] = "final",
                ["category"] = new JsonArray(Codes(ObservationCategory, "imaging")),
                ["code"] = Codes(Loinc, "24556-3"),
                ["effectiveDateTime"] = "2026-11-10",
            })),
        ["imagingStudies"] = Searchset(
            Resource("ImagingStudy", $"{id}-xray-study", id, new JsonObject { ["status"] = "available", ["started"] = "2026-11-10" })),
        ["diagnosticReports"] = Searchset(
            Resource("DiagnosticReport", $"{id}-xray-report", id, new JsonObject
            {
                ["status"] = "final",
                ["code"] = Codes(Loinc, "24556-3"),
                ["effectiveDateTime"] = "2026-11-10",
            })),
        ["serviceRequests"] = Searchset(
            Resource("ServiceRequest", $"{id}-xray-order", id, new JsonObject
            {
                ["status"] = "completed",
                ["intent"] = "order",
                ["code"] = Codes(Loinc, "24556-3"),
                ["authoredOn"] = "2026-11-09",
            })),
        ["medicationRequests"] = Searchset(
            Resource("MedicationRequest", $"{id}-prednisone", id, new JsonObject
            {
                ["status"] = "active",
                ["intent"] = "order",
                ["medicationCodeableConcept"] = Codes("http://www.nlm.nih.gov/research/umls/rxnorm", "8640"),
                ["authoredOn"] = "2026-09-01",
            })),

        // The Medication the statement references rides along, as `_include=MedicationStatement:medication` returns it.
        ["medicationStatements"] = Searchset(
            Resource("MedicationStatement", $"{id}-dexamethasone", id, new JsonObject
            {
                ["status"] = "completed",
                ["medicationReference"] = new JsonObject { ["reference"] = $"Medication/{id}-dexamethasone-tablet" },
                ["effectiveDateTime"] = "2026-06-01",
            }),
            new JsonObject
            {
                ["resourceType"] = "Medication",
                ["id"] = $"{id}-dexamethasone-tablet",
                ["code"] = Codes("http://www.nlm.nih.gov/research/umls/rxnorm", "3264"),
            }),
        ["medicationAdministrations"] = Searchset(
            Resource("MedicationAdministration", $"{id}-methylprednisolone", id, new JsonObject
            {
                ["status"] = "completed",
                ["medicationCodeableConcept"] = Codes("http://www.nlm.nih.gov/research/umls/rxnorm", "6902"),
                ["effectiveDateTime"] = "2026-10-01",
            })),
    };

    /// <summary>The resources of a prefetch (Bundles flattened), ready to load into a FHIR server.</summary>
    public static IEnumerable<JsonObject> ResourcesOf(JsonObject prefetch) =>
        prefetch.Select(pair => pair.Value)
            .OfType<JsonObject>()
            .SelectMany(value => value["resourceType"]!.GetValue<string>() == "Bundle"
                ? value["entry"]!.AsArray().Select(entry => entry!["resource"]!.AsObject())
                : [value]);

    /// <summary>"Type/id" of the resources of a prefetch, sorted: what the assembler should receive.</summary>
    public static IReadOnlyList<string> KeysOf(JsonObject prefetch) =>
        ResourcesOf(prefetch).Select(r => $"{r["resourceType"]}/{r["id"]}").Order(StringComparer.Ordinal).ToList();

    /// <summary>Data on the server that no template of this patient may return.</summary>
    public static IEnumerable<JsonObject> Distractors(string id = Id) =>
    [
        Lab(id, "glucose", "2345-7", "2026-11-20"),
        Patient($"{id}-other"),
        Lab($"{id}-other", "crp", "1988-5", "2026-11-20"),
        Resource("Condition", $"{id}-other-knee-pain", $"{id}-other", new JsonObject { ["code"] = Codes("http://snomed.info/sct", "30989003") }),
    ];

    public static JsonObject Lab(string patient, string name, string code, string date) =>
        Resource("Observation", $"{patient}-{name}-{date}", patient, new JsonObject
        {
            ["status"] = "final",
            ["category"] = new JsonArray(Codes(ObservationCategory, "laboratory")),
            ["code"] = Codes(Loinc, code),
            ["effectiveDateTime"] = date,
            ["valueQuantity"] = new JsonObject { ["value"] = 3, ["unit"] = "mg/L" },
        });

    public static JsonObject Patient(string id) => new()
    {
        ["resourceType"] = "Patient",
        ["id"] = id,
        ["gender"] = "female",
        ["birthDate"] = "1990-04-02",
    };

    public static JsonObject Searchset(params JsonObject[] resources) => new()
    {
        ["resourceType"] = "Bundle",
        ["type"] = "searchset",
        ["total"] = resources.Length,
        ["entry"] = new JsonArray(resources.Select(resource => (JsonNode)new JsonObject
        {
            ["fullUrl"] = $"urn:test:{resource["resourceType"]}/{resource["id"]}",
            ["resource"] = resource,
            ["search"] = new JsonObject { ["mode"] = resource["resourceType"]!.GetValue<string>() == "Medication" ? "include" : "match" },
        }).ToArray()),
    };

    /// <summary>A patient-view call for the patient, with the given prefetch (none when null).</summary>
    public static JsonObject PatientView(string? fhirServer, JsonObject? prefetch, string? token = null, string id = Id)
    {
        var request = Requests.PatientView();
        request["context"]!["patientId"] = id;
        request.Remove("prefetch");
        if (prefetch is not null)
        {
            request["prefetch"] = prefetch;
        }

        if (fhirServer is not null)
        {
            request["fhirServer"] = fhirServer;
        }

        if (token is not null)
        {
            request["fhirAuthorization"] = new JsonObject
            {
                ["access_token"] = token,
                ["token_type"] = "Bearer",
                ["expires_in"] = 300,
                ["scope"] = "user/Patient.read user/Observation.read user/Condition.read",
                ["subject"] = "bmes-cds",
            };
        }

        return request;
    }

    private static JsonObject Resource(string type, string id, string patient, JsonObject fields)
    {
        var resource = new JsonObject { ["resourceType"] = type, ["id"] = id };
        foreach (var (name, value) in fields.ToList())
        {
            fields.Remove(name);
            resource[name] = value;
        }

        resource["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" };
        return resource;
    }

    private static JsonObject Codes(string system, string code) =>
        new() { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code }) };
}
