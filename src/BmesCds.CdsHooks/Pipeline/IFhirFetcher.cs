using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Requests;

namespace BmesCds.CdsHooks.Pipeline;

/// <summary>
/// Reads one prefetch key from the EHR's FHIR server: the host's part of a hook call (HTTP, its limits, which servers
/// may be called). Each page is walked with the same <see cref="FhirJsonWalker"/> as prefetch, so both paths give the
/// record the same resources.
/// </summary>
public interface IFhirFetcher
{
    /// <param name="fetch">What to read.</param>
    /// <param name="budget">Cancelled when the call's time budget runs out or the caller gave up.</param>
    Task<FetchOutcome> FetchAsync(FhirFetch fetch, CancellationToken budget);
}

/// <summary>One key to read from the request's fhirServer.</summary>
/// <param name="Request">The hook call: fhirServer, its token, hookInstance.</param>
/// <param name="Key">The prefetch key.</param>
/// <param name="Template">The template, named in messages instead of the URL (which holds the patient id).</param>
/// <param name="FirstUrl">The rendered template (relative to fhirServer) or the `next` link of a prefetched Bundle.</param>
/// <param name="ReadType">For a read such as "Patient/123", the resource type expected; null for a search.</param>
/// <param name="Why">Why the key is fetched (for a refusal's message), e.g. "the client did not prefetch it".</param>
/// <param name="PagesBefore">Pages already read (a prefetched Bundle page), counted against the page cap.</param>
/// <param name="ResourcesBefore">Resources already read, counted against the resource cap.</param>
public sealed record FhirFetch(
    HookRequest Request, string Key, string Template, string FirstUrl, string? ReadType, string Why, int PagesBefore = 0, int ResourcesBefore = 0);

/// <summary>What one key's fetch gave: pages, or why not. NotFound is a read answered 404/410: no data, not a failure.</summary>
/// <param name="Pages">The pages read.</param>
/// <param name="LastStatus">The HTTP status of the last answer.</param>
/// <param name="Failure">Why the key could not be had, or null.</param>
/// <param name="NotFound">A read answered 404 or 410.</param>
/// <param name="FailureField">Where in the server's answer the failure is (e.g. "fhirServer.conditions.page[1].entry[3].resource"); null names the key.</param>
public sealed record FetchOutcome(IReadOnlyList<FetchedPage> Pages, int? LastStatus, string? Failure, bool NotFound = false, string? FailureField = null)
{
    public int ResourceCount => Pages.Sum(page => page.Found.Resources.Count);
}

/// <summary>One answer of the FHIR server, walked: its bytes (the found resources point into them) and what was found.</summary>
public sealed record FetchedPage(ReadOnlyMemory<byte> Json, WalkResult Found);
