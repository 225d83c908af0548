using BmesCds.CdsHooks.Discovery;
using BmesCds.Clinical.Terminology;

namespace BmesCds.CdsHooks.Pipeline;

/// <summary>The prefetch templates, rendered once from the terminology: discovery advertises them, the planner fills them.</summary>
public sealed class PrefetchTemplateSet(BmesTerminology terminology)
{
    public IReadOnlyDictionary<string, string> Templates { get; } = PrefetchTemplates.Build(terminology);
}
