using System.Text.Json.Nodes;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// Request bodies for protocol tests, shaped as the CDS Hooks sandbox sends them, but with every prefetch key
/// filled (the search keys as empty searchsets), so that they need no FHIR server.
/// </summary>
public static class Requests
{
    public static JsonObject OrderSelect() => (JsonObject)JsonNode.Parse("""
        {
          "hookInstance": "6d2f1d5e-0f8b-4f38-9d43-2b0f4b1f2a10",
          "hook": "order-select",
          "fhirServer": "http://127.0.0.1:8190/fhir",
          "context": {
            "patientId": "p-1",
            "userId": "Practitioner/COREPRACTITIONER1",
            "selections": ["ServiceRequest/sr-1"],
            "draftOrders": {
              "resourceType": "Bundle",
              "entry": [
                {
                  "resource": {
                    "resourceType": "ServiceRequest",
                    "id": "sr-1",
                    "status": "draft",
                    "intent": "plan",
                    "code": { "coding": [ { "system": "http://loinc.org", "code": "36487-7", "display": "CT Hip left WO contrast" } ] },
                    "subject": { "reference": "Patient/p-1" }
                  }
                }
              ]
            }
          },
          "prefetch": {
            "patient": { "resourceType": "Patient", "id": "p-1", "gender": "male", "birthDate": "1982-03-01" },
            "conditions": { "resourceType": "Bundle", "type": "searchset", "entry": [] }
          }
        }
        """)!.AsObject().WithEmptySearches();

    public static JsonObject PatientView() => (JsonObject)JsonNode.Parse("""
        {
          "hookInstance": "0c8b2a8e-8f41-4b0e-9a57-7a3a4b8d9e11",
          "hook": "patient-view",
          "context": { "patientId": "p-1", "userId": "Practitioner/COREPRACTITIONER1" },
          "prefetch": { "patient": { "resourceType": "Patient", "id": "p-1", "gender": "male", "birthDate": "1982-03-01" } }
        }
        """)!.AsObject().WithEmptySearches();

    public static JsonObject OrderSign()
    {
        var request = OrderSelect();
        request["hook"] = "order-sign";
        request["context"]!.AsObject().Remove("selections");
        return request;
    }

    /// <summary>Fills every advertised search key the request does not prefetch with an empty searchset.</summary>
    public static JsonObject WithEmptySearches(this JsonObject request)
    {
        var prefetch = request["prefetch"]!.AsObject();
        foreach (var key in SearchKeys.Where(key => !prefetch.ContainsKey(key)))
        {
            prefetch[key] = EmptySearchset();
        }

        return request;
    }

    public static JsonObject EmptySearchset() => new() { ["resourceType"] = "Bundle", ["type"] = "searchset", ["entry"] = new JsonArray() };

    /// <summary>The advertised prefetch keys other than the patient (see PrefetchTemplates).</summary>
    public static IReadOnlyList<string> SearchKeys { get; } =
    [
        "conditions", "observations", "imagingObservations", "imagingStudies", "diagnosticReports", "serviceRequests", "medicationRequests",
        "medicationStatements", "medicationAdministrations",
    ];
}
