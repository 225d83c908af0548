using System.Net;
using System.Net.Sockets;
using BmesCds.Service.PatientData;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.FhirServers;

/// <summary>A connection the FHIR client would not open: the host resolves to an address that is not public.</summary>
public sealed class AddressRefusedException(string message) : IOException(message);

/// <summary>
/// The FHIR client's <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host itself, checks every
/// address it resolves to, and connects only to those checked addresses. Whatever the spelling of the URL
/// (2130706433, 127.1, 0x7f.0.0.1, [::ffff:127.0.0.1], a trailing dot) and whatever a DNS server answers, a
/// connection to loopback, private, link-local or other special-purpose addresses is refused, unless
/// Fhir:AllowLoopback or Fhir:AllowPrivateNetworks says otherwise. A host with one such address among others is
/// refused as a whole: a DNS answer must not be able to mix an internal address in.
/// </summary>
public sealed class PublicAddressConnector(IOptionsMonitor<FhirFetchOptions> options, ILogger<PublicAddressConnector> logger)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancel).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new AddressRefusedException($"{host} resolves to no address");
        }

        foreach (var address in addresses)
        {
            if (Refusal(address) is { } why)
            {
                logger.LogWarning(
                    "FHIR server connection refused: {Host} resolves to {Address}, {AddressRange} ({Setting})",
                    Printable(host),
                    address,
                    why.Range,
                    why.Setting);
                throw new AddressRefusedException($"{Printable(host)} resolves to {address}, {why.Range}");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancel).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Why a connection to <paramref name="address"/> is not allowed, or null when it is.</summary>
    public (string Range, string Setting)? Refusal(IPAddress address)
    {
        var settings = options.CurrentValue;
        var (kind, range) = SpecialPurposeAddresses.Classify(address);
        return kind switch
        {
            AddressKind.Public => null,
            AddressKind.Loopback when settings.AllowLoopback || settings.AllowPrivateNetworks => null,
            AddressKind.Loopback => (range!, "Fhir:AllowLoopback and Fhir:AllowPrivateNetworks are off"),
            AddressKind.Private when settings.AllowPrivateNetworks => null,
            AddressKind.Private => (range!, "Fhir:AllowPrivateNetworks is off"),
            _ => (range!, "never a FHIR server"),
        };
    }

    private static string Printable(string host) => new(host.Take(253).Where(c => !char.IsControl(c)).ToArray());
}
