using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Terminology;

namespace BmesCds.Service.CdsServices;

/// <summary>The discovery response, generated once from the service catalogue and the prefetch templates.</summary>
public sealed class DiscoveryDocument(BmesTerminology terminology)
{
    public DiscoveryResponse Response { get; } = Build(terminology);

    private static DiscoveryResponse Build(BmesTerminology terminology)
    {
        var prefetch = PrefetchTemplates.Build(terminology);
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
