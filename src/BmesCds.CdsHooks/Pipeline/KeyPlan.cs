using BmesCds.CdsHooks.Fhir;

namespace BmesCds.CdsHooks.Pipeline;

/// <summary>What to do for one prefetch key of a hook call, decided from what the client sent.</summary>
/// <param name="Key">The prefetch key, e.g. "conditions".</param>
/// <param name="Template">Its template: error messages show it instead of the rendered URL, which holds the patient id.</param>
public abstract record KeyPlan(string Key, string Template);

/// <summary>The client sent data: use it; when it is a Bundle page with a `next` link, fetch the rest.</summary>
public sealed record UsePrefetched(string Key, string Template, WalkResult Found, string? NextPage)
    : KeyPlan(Key, Template);

/// <summary>There is no data and nothing to fetch: the client sent null, or the template has a token without a value.</summary>
public sealed record NoData(string Key, string Template, string Why) : KeyPlan(Key, Template);

/// <summary>Fetch the key from fhirServer: the client left it out, or (by policy) sent an OperationOutcome.</summary>
public sealed record FetchFromServer(string Key, string Template, string Query, string Why) : KeyPlan(Key, Template);

/// <summary>The key cannot be had, whatever the server holds (an OperationOutcome under the Fail policy).</summary>
public sealed record Unobtainable(string Key, string Template, string Why) : KeyPlan(Key, Template);
