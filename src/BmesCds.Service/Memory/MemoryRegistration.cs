using BmesCds.Service.Hosting;
using Microsoft.AspNetCore.Connections;

namespace BmesCds.Service.Memory;

public static class MemoryRegistration
{
    /// <summary>
    /// Kestrel's buffers from a pool the service can empty, and the <see cref="IdleMemoryTrimmer"/> that empties it after a
    /// burst. Registered after the host's defaults: the last registration of <see cref="IMemoryPoolFactory{T}"/> is the one
    /// Kestrel's socket transport is given.
    /// </summary>
    public static IServiceCollection AddIdleMemoryTrim(this IServiceCollection services)
    {
        services.BindChecked<MemoryOptions>(MemoryOptions.Section, options => options.Problem());
        services.AddSingleton<TrimmableBlockPoolFactory>();
        services.AddSingleton<IMemoryPoolFactory<byte>>(provider => provider.GetRequiredService<TrimmableBlockPoolFactory>());
        services.AddHostedService<IdleMemoryTrimmer>();
        return services;
    }
}
