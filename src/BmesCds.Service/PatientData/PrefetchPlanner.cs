using System.Text.Json;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Terminology;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.PatientData;

/// <summary>
/// Reads the prefetch of a hook call against the advertised templates and decides, key by key, what to use and
/// what to fetch (CDS Hooks 2.0: absent = fetch, null = no data, resource = use it, OperationOutcome = policy).
/// Keys the client sent that the service did not ask for are ignored: their query is unknown.
/// </summary>
public sealed class PrefetchPlanner(BmesTerminology terminology, IOptions<FhirFetchOptions> options)
{
    /// <summary>The key without which there is no record.</summary>
    public const string RequiredKey = PrefetchTemplates.Patient;

    public IReadOnlyDictionary<string, string> Templates { get; } = PrefetchTemplates.Build(terminology);

    public IReadOnlyList<KeyPlan> Plan(HookRequest request) =>
        Templates.Select(pair => PlanKey(pair.Key, pair.Value, request)).ToList();

    private KeyPlan PlanKey(string key, string template, HookRequest request)
    {
        if (!request.Prefetch.TryGetValue(key, out var value))
        {
            return Fetch(key, template, request, "the client did not prefetch it");
        }

        switch (value.Kind)
        {
            case PrefetchValueKind.Null:
                return new NoData(key, template, "the client sent null (no data)");
            case PrefetchValueKind.OperationOutcome when options.Value.OperationOutcomePolicy == OperationOutcomePolicy.Fail:
                return new Unobtainable(key, template, "the client sent an OperationOutcome instead of data (its own fetch failed)");
            case PrefetchValueKind.OperationOutcome:
                return Fetch(key, template, request, "the client sent an OperationOutcome (its own fetch failed)");
            default:
                return new UsePrefetched(
                    key, template, BundleFlattener.Flatten($"prefetch.{key}", value.Json).ToList(), IsBundle(value.Json) ? NextLink(value.Json) : null);
        }
    }

    private static KeyPlan Fetch(string key, string template, HookRequest request, string why)
    {
        var (query, missingToken) = PrefetchTemplateRenderer.Render(template, request.Context);
        return query is null
            ? new NoData(key, template, $"the context has no value for {missingToken}")
            : new FetchFromServer(key, template, query, why);
    }

    public static bool IsBundle(JsonElement resource) =>
        resource.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "Bundle";

    /// <summary>The `next` link of a Bundle page, when there is one; <see cref="NextLinks.Unusable"/> when it cannot be
    /// followed (the key then fails instead of ending silently at this page).</summary>
    public static Uri? NextLink(JsonElement resource) => NextLinks.Read(resource);
}
