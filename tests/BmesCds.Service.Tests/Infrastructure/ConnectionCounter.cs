using System.Net;
using System.Net.Sockets;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// Plain TCP listeners on one free port of 127.0.0.1, 127.0.0.2 and [::1] (when this machine has IPv6) that count
/// the connections made to them and close each at once: "did the service connect there at all?".
/// </summary>
public sealed class ConnectionCounter : IDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public ConnectionCounter()
    {
        var first = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        Port = ((IPEndPoint)first.LocalEndpoint).Port;
        _listeners.Add(first);
        TryListen(IPAddress.Parse("127.0.0.2"));
        HasIPv6Loopback = Socket.OSSupportsIPv6 && TryListen(IPAddress.IPv6Loopback);
        foreach (var listener in _listeners)
        {
            _ = AcceptAsync(listener);
        }
    }

    public int Port { get; }

    public bool HasIPv6Loopback { get; }

    public int Connections => Volatile.Read(ref _connections);

    public void Reset() => Interlocked.Exchange(ref _connections, 0);

    private bool TryListen(IPAddress address)
    {
        try
        {
            var listener = new TcpListener(address, Port);
            listener.Start();
            _listeners.Add(listener);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
            }
            catch (Exception failure) when (failure is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        _stop.Dispose();
    }
}
