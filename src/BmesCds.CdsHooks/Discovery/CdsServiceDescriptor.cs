namespace BmesCds.CdsHooks.Discovery;

/// <summary>One entry of the discovery response (CDS Hooks 2.0 "Response" of `GET /cds-services`).</summary>
public sealed record CdsServiceDescriptor(
    string Hook,
    string Title,
    string Description,
    string Id,
    IReadOnlyDictionary<string, string>? Prefetch,
    string? UsageRequirements);

/// <summary>The discovery document: the list of services.</summary>
public sealed record DiscoveryResponse(IReadOnlyList<CdsServiceDescriptor> Services);
