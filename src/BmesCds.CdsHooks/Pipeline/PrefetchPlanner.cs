using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Requests;

namespace BmesCds.CdsHooks.Pipeline;

/// <summary>
/// Reads the prefetch of a hook call against the advertised templates and decides, key by key, what to use and
/// what to fetch (CDS Hooks 2.0: absent = fetch, null = no data, resource = use it, OperationOutcome = policy).
/// Keys the client sent that the service did not ask for are ignored: their query is unknown.
/// </summary>
public sealed class PrefetchPlanner(PrefetchTemplateSet templates, PrefetchOptions options)
{
    /// <summary>The key without which there is no record.</summary>
    public const string RequiredKey = PrefetchTemplates.Patient;

    public IReadOnlyDictionary<string, string> Templates => templates.Templates;

    public IReadOnlyList<KeyPlan> Plan(HookRequest request)
    {
        var plans = new List<KeyPlan>(templates.Templates.Count);
        foreach (var (key, template) in templates.Templates)
        {
            plans.Add(PlanKey(key, template, request));
        }

        return plans;
    }

    private KeyPlan PlanKey(string key, string template, HookRequest request)
    {
        if (!request.Prefetch.TryGetValue(key, out var value))
        {
            return Fetch(key, template, request, "the client did not prefetch it");
        }

        return value.Kind switch
        {
            PrefetchValueKind.Null => new NoData(key, template, "the client sent null (no data)"),
            PrefetchValueKind.OperationOutcome when options.OperationOutcomePolicy == OperationOutcomePolicy.Fail =>
                new Unobtainable(key, template, "the client sent an OperationOutcome instead of data (its own fetch failed)"),
            PrefetchValueKind.OperationOutcome => Fetch(key, template, request, "the client sent an OperationOutcome (its own fetch failed)"),
            _ => new UsePrefetched(key, template, value.Found!, value.IsBundle ? value.Found!.NextLink : null),
        };
    }

    private static KeyPlan Fetch(string key, string template, HookRequest request, string why)
    {
        var (query, missingToken) = PrefetchTemplateRenderer.Render(template, request.Context);
        return query is null
            ? new NoData(key, template, $"the context has no value for {missingToken}")
            : new FetchFromServer(key, template, query, why);
    }
}
