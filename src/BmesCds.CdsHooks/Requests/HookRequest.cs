using System.Text.Json;
using BmesCds.CdsHooks.Fhir;
using BmesCds.Clinical.Engine;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Requests;

/// <summary>
/// A CDS Hooks service call, parsed and validated: the typed context for the clinical engine, the draft orders already
/// read as FHIR, and the prefetch values as found resources pointing into <see cref="Body"/> (the record decides which
/// to read). Valid only while the body's buffer is.
/// </summary>
public sealed record HookRequest(
    string Hook,
    string HookInstance,
    Uri? FhirServer,
    FhirAuthorization? FhirAuthorization,
    HookContext Context,
    IReadOnlyList<Resource> DraftOrders,
    IReadOnlyDictionary<string, PrefetchValue> Prefetch,
    ReadOnlyMemory<byte> Body,
    JsonElement? Extension,
    IReadOnlyList<FhirReadIssue> DraftOrderReadIssues);

/// <summary>
/// One prefetch key as the client sent it. CDS Hooks 2.0 gives each form its own meaning: a resource (often a
/// searchset Bundle) is data; JSON null means "there is no data, do not fetch"; an OperationOutcome means the client
/// tried and failed. A key the client left out is simply not in the dictionary.
/// </summary>
/// <param name="Kind">What the key holds.</param>
/// <param name="Found">For a resource or Bundle: what the walk found (null otherwise).</param>
public sealed record PrefetchValue(PrefetchValueKind Kind, WalkResult? Found)
{
    public static PrefetchValue Null { get; } = new(PrefetchValueKind.Null, null);

    public bool IsBundle => Found?.Type == "Bundle";
}

/// <summary>What a prefetch key holds.</summary>
public enum PrefetchValueKind
{
    Resource,
    Null,
    OperationOutcome,
}
