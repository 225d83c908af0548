using System.Text.Json;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Fhir;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Requests;

/// <summary>
/// A CDS Hooks service call, parsed and validated: the typed context for the clinical engine, the draft orders
/// already read as FHIR, and the prefetch values still as JSON (the patient-data layer decides what to read).
/// </summary>
public sealed record HookRequest(
    string Hook,
    string HookInstance,
    Uri? FhirServer,
    FhirAuthorization? FhirAuthorization,
    HookContext Context,
    IReadOnlyList<Resource> DraftOrders,
    IReadOnlyDictionary<string, PrefetchValue> Prefetch,
    JsonElement? Extension,
    IReadOnlyList<FhirReadIssue> DraftOrderReadIssues);

/// <summary>
/// One prefetch key as the client sent it. CDS Hooks 2.0 gives each form its own meaning:
/// a resource (often a searchset Bundle) is data; JSON null means "there is no data, do not fetch";
/// an OperationOutcome means the client tried and failed. A key the client left out is simply not in the dictionary.
/// </summary>
public sealed record PrefetchValue(PrefetchValueKind Kind, JsonElement Json);

/// <summary>What a prefetch key holds.</summary>
public enum PrefetchValueKind
{
    Resource,
    Null,
    OperationOutcome,
}
