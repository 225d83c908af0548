using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Ledger;

/// <summary>
/// Hook requests built from the worked cases: C1 (CT of the left hip after a normal X-ray: replace-with-mri), the same
/// patient with both hips (two cards), with a risk factor (osteonecrosis-risk, higher priority), or as another patient.
/// </summary>
public static class ClinicalRequests
{
    public const string OrderSelect = "bmes-order-select";
    public const string PatientView = "bmes-patient-view";

    public static JsonObject C1() => Sample("cases/C1-ct-after-normal-left-hip-xray.request.json");

    /// <summary>Patient-view for a painful knee after a normal X-ray: mri-recommended.</summary>
    public static JsonObject X15() => Sample("cases/X15-patient-view-normal-knee-xray.request.json");

    /// <summary>The request for another patient: same facts, another id (and so another patient key).</summary>
    public static JsonObject AsPatient(this JsonObject request, string patientId)
    {
        var original = (string)request["context"]!["patientId"]!;
        var text = request.ToJsonString()
            .Replace($"\"{original}\"", $"\"{patientId}\"", StringComparison.Ordinal)
            .Replace($"Patient/{original}\"", $"Patient/{patientId}\"", StringComparison.Ordinal);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>C1 with pain and a normal X-ray of the right hip too, and a CT of each hip selected: one card per hip.</summary>
    public static JsonObject C1BothHips()
    {
        var request = C1();
        var context = request["context"]!.AsObject();
        context["selections"]!.AsArray().Add("ServiceRequest/ct-hip-right");
        var drafts = context["draftOrders"]!["entry"]!.AsArray();
        var right = drafts[0]!.DeepClone().AsObject();
        right["resource"]!["id"] = "ct-hip-right";
        right["resource"]!["code"]!["coding"]![0] = Coding("http://loinc.org", "36489-3", "CT Hip - right WO contrast");
        drafts.Add(right);

        var conditions = request["prefetch"]!["conditions"]!["entry"]!.AsArray();
        var pain = conditions[0]!.DeepClone().AsObject();
        pain["resource"]!["id"] = "c1-pain-right";
        pain["resource"]!["code"]!["coding"]![0] = Coding("http://hl7.org/fhir/sid/icd-10-cm", "M25.551", "Pain in right hip");
        conditions.Add(pain);

        var reports = request["prefetch"]!["diagnosticReports"]!["entry"]!.AsArray();
        var xray = reports[0]!.DeepClone().AsObject();
        xray["resource"]!["id"] = "c1-xr-right";
        xray["resource"]!["code"]!["coding"]![0] = Coding("http://loinc.org", "26132-1", "XR Hip - right Views");
        xray["resource"]!["conclusion"] = "Normal right hip. No fracture.";
        reports.Add(xray);
        return request;
    }

    /// <summary>C1 plus systemic lupus erythematosus (an osteonecrosis risk factor): osteonecrosis-risk now fires too.</summary>
    public static JsonObject C1WithLupus()
    {
        var request = C1();
        var conditions = request["prefetch"]!["conditions"]!["entry"]!.AsArray();
        var lupus = conditions[0]!.DeepClone().AsObject();
        lupus["resource"]!["id"] = "c1-sle";
        lupus["resource"]!["code"]!["coding"]![0] = Coding("http://snomed.info/sct", "55464009", "Systemic lupus erythematosus");
        lupus["resource"]!["onsetDateTime"] = "2022-10-20";
        conditions.Add(lupus);
        return request;
    }

    public static string Topic(this System.Text.Json.JsonElement card) => card.GetProperty("source").GetProperty("topic").GetProperty("code").GetString()!;

    private static JsonObject Sample(string relative) => Json.Load(SampleFiles.FullPath(relative)).AsObject();

    private static JsonObject Coding(string system, string code, string display) =>
        new() { ["system"] = system, ["code"] = code, ["display"] = display };
}
