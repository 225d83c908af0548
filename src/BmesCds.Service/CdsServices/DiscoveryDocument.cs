using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Requests;

namespace BmesCds.Service.CdsServices;

/// <summary>The discovery response, generated once from the service catalogue and the prefetch templates.</summary>
public sealed class DiscoveryDocument(PrefetchTemplateSet templates)
{
    public DiscoveryResponse Response { get; } = Build(templates);

    private static DiscoveryResponse Build(PrefetchTemplateSet templates)
    {
        var prefetch = templates.Templates;
        return new DiscoveryResponse(CdsServiceCatalogue.All
            .Select(service => new CdsServiceDescriptor(
                HookNames.Of(service.Hook),
                service.Title,
                service.Description,
                service.Id,
                prefetch,
                service.UsageRequirements))
            .ToList());
    }
}
