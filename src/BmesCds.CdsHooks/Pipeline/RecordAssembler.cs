using System.Runtime.InteropServices;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Engine;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Pipeline;

/// <summary>Found resources in one buffer: a prefetch value (in the request body) or a fetched page.</summary>
/// <param name="Buffer">The JSON the resources point into.</param>
/// <param name="Found">The resources the walk found.</param>
/// <param name="Fetched">From the FHIR server (an unreadable one is then a 412, not the client's 400).</param>
public readonly record struct SourcedResources(ReadOnlyMemory<byte> Buffer, IReadOnlyList<FoundResource> Found, bool Fetched);

/// <summary>The record, or why it cannot be built; and what the lenient reader tolerated (codes and places, never values).</summary>
/// <param name="Record">The record, or null when refused.</param>
/// <param name="Refusal">Why there is no record.</param>
/// <param name="Tolerated">What the lenient reader worked around.</param>
public sealed record RecordAssembly(PatientRecord? Record, ProtocolError? Refusal, IReadOnlyList<FhirReadIssue> Tolerated);

/// <summary>
/// Builds the record the engine reads from what prefetch and the FHIR server gave, alike: each resource the rules read
/// once (the first of a type and id wins; one without an id cannot be compared and is kept), parsed into a FHIR
/// object straight from its bytes. A resource that cannot be read even leniently refuses the call: 400 when the
/// client sent it, 412 when its FHIR server did.
/// </summary>
public static class RecordAssembler
{
    public static RecordAssembly Assemble(IReadOnlyList<SourcedResources> sources)
    {
        // Sized once for the relevant resources (an upper bound of those read): no growing on the way.
        var relevant = 0;
        for (var s = 0; s < sources.Count; s++)
        {
            foreach (ref readonly var resource in Span(sources[s].Found))
            {
                relevant += resource.Relevant ? 1 : 0;
            }
        }

        Patient? patient = null;
        var resources = new List<Resource>(relevant);
        List<FhirReadIssue>? tolerated = null;
        var seen = new HashSet<(string, string)>(relevant);
        foreach (var (buffer, found, fetched) in sources)
        {
            var json = buffer.Span;
            foreach (ref readonly var resource in Span(found))
            {
                if (!resource.Relevant)
                {
                    continue;
                }

                var id = resource.Id(json);
                if (id is not null && !seen.Add((resource.Type, id)))
                {
                    continue;
                }

                var read = LenientFhirReader.Read(resource.Json(json), resource.Type);
                if (read.Resource is null)
                {
                    return Refused(resource, fetched, read.Refusal!);
                }

                if (read.Issues.Count > 0)
                {
                    (tolerated ??= []).AddRange(read.Issues);
                }

                if (read.Resource is Patient first)
                {
                    patient ??= first;
                }
                else
                {
                    resources.Add(read.Resource);
                }
            }
        }

        return new RecordAssembly(new PatientRecord(patient, resources), null, tolerated ?? (IReadOnlyList<FhirReadIssue>)[]);
    }

    // The walk's lists, read in place: a request holds hundreds of found resources and most are passed over, so neither an
    // interface call nor a copy per resource (nor a boxed enumerator per key).
    private static ReadOnlySpan<FoundResource> Span(IReadOnlyList<FoundResource> found) => found switch
    {
        List<FoundResource> list => CollectionsMarshal.AsSpan(list),
        FoundResource[] array => array,
        _ => found.ToArray(),
    };

    private static RecordAssembly Refused(in FoundResource resource, bool fetched, string refusal) => new(
        null,
        fetched
            ? new ProtocolError(resource.Path.ToString(), $"the FHIR server sent a resource that cannot be read: {refusal}", ProtocolErrorKind.PreconditionFailed)
            : new ProtocolError(resource.Path.ToString(), refusal),
        []);
}
