using System.Net;
using System.Net.Sockets;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>A loopback port nobody listens on now, for a server that must be told its port (it may be taken again by
/// the time the server binds; port 0 is preferred wherever the server can report the port it got).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
