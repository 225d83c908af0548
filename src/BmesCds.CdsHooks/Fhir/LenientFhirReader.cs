using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>One problem the recoverable reader worked around: where it was and what kind (never the value).</summary>
public sealed record FhirReadIssue(string Location, string Code, string Description);

/// <summary>The outcome of reading one resource: the resource (possibly with parts dropped) and the issues, or a refusal.</summary>
public sealed record FhirReadResult(Resource? Resource, IReadOnlyList<FhirReadIssue> Issues, string? Refusal)
{
    public bool IsRefused => Resource is null;
}

/// <summary>
/// Reads FHIR R4 JSON the way real EHRs and the CDS Hooks sandbox send it: Firely's recoverable mode, so that a
/// missing required element, an empty object or array, or an unknown element costs that element, not the request.
/// Refuses only what cannot be read at all: not an object, no or unknown `resourceType`. Reads straight from the
/// request's bytes (no re-serialising) with Firely's attribute validation off: checking resources against R4 is
/// <c>Validation:Incoming</c>'s job, and on the hot path it cost half the time of a hook call.
/// </summary>
public static class LenientFhirReader
{
    // Reports every parse issue and always returns what it could build; recoverable mode is then applied by
    // classifying the issues ourselves, so that the tolerated ones can still be logged. Thread-safe, costly to build.
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings { Validator = null });

    /// <summary>Reads a resource given as a JSON element (e.g. an entry of draftOrders).</summary>
    public static FhirReadResult Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Refuse($"expected a FHIR resource (a JSON object) but found {Describe(element.ValueKind)}");
        }

        if (!element.TryGetProperty("resourceType", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return Refuse("the resource has no resourceType");
        }

        var typeName = type.GetString()!;
        if (!KnownResourceTypes.IsKnown(typeName))
        {
            return Refuse($"'{typeName}' is not a FHIR R4 resource type");
        }

        return Parse(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element), typeName);
    }

    /// <summary>Reads a resource the record walk found, its type already checked.</summary>
    public static FhirReadResult Read(ReadOnlySpan<byte> utf8, string typeName) => Parse(utf8, typeName);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "One unreadable resource must cost itself, never the process: Firely throws many kinds on odd input.")]
    private static FhirReadResult Parse(ReadOnlySpan<byte> utf8, string typeName)
    {
        // Well-formed resources (nearly all) are built by the fast reader; anything it is unsure of goes to Firely.
        if (FhirPocoReader.Read(utf8, typeName) is { } fast)
        {
            return new FhirReadResult(fast, [], null);
        }

        var reader = new Utf8JsonReader(utf8);
        try
        {
            Deserializer.TryDeserializeResource(ref reader, out var resource, out var issues);
            var all = issues.ToList();
            var fatal = all.FirstOrDefault(issue => !CodedExceptionFilters.FilterRecoverableIssues(issue));
            if (resource is null || fatal is not null)
            {
                return Refuse($"the {typeName} cannot be read even leniently: {Describe(fatal)}");
            }

            // Attribute validation is off, so an element of the wrong JSON form is often kept without an issue, where
            // reading its property throws later; dropped here (see MistypedElements for what is and is not).
            var dropped = MistypedElements.DropFrom(resource);
            return all.Count == 0 && dropped.Count == 0
                ? new FhirReadResult(resource, [], null)
                : new FhirReadResult(resource, [.. all.Select(ToIssue), .. dropped], null);
        }
        catch (Exception)
        {
            // Firely throws (rather than reports) on some shapes; its exception names only its own code, not the problem.
            return Refuse($"the {typeName} cannot be read even leniently: {Unreadable}");
        }
    }

    /// <summary>What a refusal says when Firely threw instead of reporting an issue.</summary>
    public const string Unreadable =
        "an element has a JSON form FHIR R4 does not allow there (such as an element given twice, once as a list and once not, a contained resource whose resourceType is not a string or not a resource type, or an empty property name)";

    private static FhirReadResult Refuse(string reason) => new(null, [], reason);

    // Only the error code and the element path: Firely's messages can quote the offending value (patient data).
    private static FhirReadIssue ToIssue(CodedException issue) => issue is ExtendedCodedException extended
        ? new FhirReadIssue(extended.InstancePath ?? string.Empty, issue.ErrorCode, extended.BaseErrorMessage)
        : new FhirReadIssue(string.Empty, issue.ErrorCode, issue.ErrorCode);

    // Error code and element path, never the message: it can quote the value.
    private static string Describe(CodedException? issue) => issue switch
    {
        ExtendedCodedException { ErrorCode: "JSON129" } extended =>
            $"an element appears twice (a repeated property, or two forms of one choice element) at {extended.InstancePath} (JSON129)",
        ExtendedCodedException extended => $"{extended.ErrorCode} at {extended.InstancePath}",
        null => "no usable content",
        _ => issue.ErrorCode,
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
