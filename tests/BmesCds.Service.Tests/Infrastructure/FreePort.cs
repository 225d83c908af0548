using System.Net;
using System.Net.Sockets;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>A loopback port nobody listens on right now, for a process that must know its URL before it starts
/// (Auth:PublicBaseUrl names the port, so Kestrel's port 0 cannot be used).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
