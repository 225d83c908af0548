using System.Net;
using System.Net.Sockets;

namespace BmesCds.Service.FhirServers;

/// <summary>How far an IP address is from "a public host on the internet".</summary>
public enum AddressKind
{
    /// <summary>A globally reachable unicast address: a FHIR server may be there.</summary>
    Public,

    /// <summary>This machine (127.0.0.0/8, ::1, and their IPv4-mapped and embedded forms).</summary>
    Loopback,

    /// <summary>Private, link-local, shared (CGN), documentation, benchmarking and other non-global ranges.</summary>
    Private,

    /// <summary>Never a server to connect to: unspecified (0.0.0.0/8, ::), multicast, broadcast, reserved (240/4).</summary>
    Never,
}

/// <summary>
/// Classifies IP addresses after the IANA special-purpose address registries (IPv4 and IPv6), so that the FHIR
/// client connects only to public hosts unless configured otherwise. Addresses that carry an IPv4 address inside an
/// IPv6 one (IPv4-mapped, IPv4-translated, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address they
/// lead to; forms whose IPv4 part cannot be trusted or is obfuscated (IPv4-compatible ::/96, Teredo 2001::/32,
/// local-use NAT64) are private as a whole.
/// </summary>
public static class SpecialPurposeAddresses
{
    /// <summary>(network, prefix length, kind, name for the log), IPv4.</summary>
    private static readonly (uint Network, int Bits, AddressKind Kind, string Name)[] V4 =
    [
        (0x00000000, 8, AddressKind.Never, "this network 0.0.0.0/8"),
        (0x0A000000, 8, AddressKind.Private, "private 10.0.0.0/8"),
        (0x64400000, 10, AddressKind.Private, "shared address space 100.64.0.0/10"),
        (0x7F000000, 8, AddressKind.Loopback, "loopback 127.0.0.0/8"),
        (0xA9FE0000, 16, AddressKind.Private, "link-local 169.254.0.0/16"),
        (0xAC100000, 12, AddressKind.Private, "private 172.16.0.0/12"),
        (0xC0000000, 24, AddressKind.Private, "IETF protocol assignments 192.0.0.0/24"),
        (0xC0000200, 24, AddressKind.Private, "documentation 192.0.2.0/24"),
        (0xC0586300, 24, AddressKind.Private, "6to4 relay anycast 192.88.99.0/24"),
        (0xC0A80000, 16, AddressKind.Private, "private 192.168.0.0/16"),
        (0xC6120000, 15, AddressKind.Private, "benchmarking 198.18.0.0/15"),
        (0xC6336400, 24, AddressKind.Private, "documentation 198.51.100.0/24"),
        (0xCB007100, 24, AddressKind.Private, "documentation 203.0.113.0/24"),
        (0xE0000000, 4, AddressKind.Never, "multicast 224.0.0.0/4"),
        (0xF0000000, 4, AddressKind.Never, "reserved 240.0.0.0/4 and broadcast"),
    ];

    /// <summary>What the address is, and the name of its range for the log (null when public).</summary>
    public static (AddressKind Kind, string? Range) Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyV4(address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return (AddressKind.Never, "not an IP address");
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (b[..15].IndexOfAnyExcept((byte)0) < 0)
        {
            return b[15] switch
            {
                0 => (AddressKind.Never, "unspecified ::"),
                1 => (AddressKind.Loopback, "loopback ::1"),
                _ => (AddressKind.Private, "IPv4-compatible ::/96"),
            };
        }

        // ::ffff:a.b.c.d (IPv4-mapped) and ::ffff:0:a.b.c.d (IPv4-translated): the IPv4 address is where it goes.
        var mapped = b[..10].IndexOfAnyExcept((byte)0) < 0 && b[10] == 0xFF && b[11] == 0xFF;
        var translated = b[..8].IndexOfAnyExcept((byte)0) < 0 && b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0;
        if (mapped || translated)
        {
            return ClassifyV4(new IPAddress(b[12..]));
        }

        if (b[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return (AddressKind.Private, "IPv4-compatible ::/96");
        }

        // 64:ff9b::/96, the well-known NAT64 prefix: a NAT64 gateway connects to the embedded IPv4 address.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return ClassifyV4(new IPAddress(b[12..]));
        }

        // 2002::/16, 6to4: the IPv4 address of the relay is in bits 16-47.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            var embedded = ClassifyV4(new IPAddress(b[2..6]));
            return embedded.Kind == AddressKind.Public ? (AddressKind.Public, null) : (embedded.Kind == AddressKind.Never ? AddressKind.Never : AddressKind.Private, $"6to4 of {embedded.Range}");
        }

        return V6Range(b);
    }

    private static (AddressKind Kind, string? Range) V6Range(ReadOnlySpan<byte> b)
    {
        var first16 = (b[0] << 8) | b[1];
        var second16 = (b[2] << 8) | b[3];
        return b switch
        {
            _ when b[0] == 0xFF => (AddressKind.Never, "multicast ff00::/8"),
            _ when (b[0] & 0xFE) == 0xFC => (AddressKind.Private, "unique local fc00::/7"),
            _ when b[0] == 0xFE && (b[1] & 0xC0) == 0x80 => (AddressKind.Private, "link-local fe80::/10"),
            _ when b[0] == 0xFE && (b[1] & 0xC0) == 0xC0 => (AddressKind.Private, "site-local fec0::/10"),
            _ when first16 == 0x0064 && second16 == 0xFF9B && b[4] == 0 && b[5] == 1 => (AddressKind.Private, "local-use NAT64 64:ff9b:1::/48"),
            _ when first16 == 0x0100 && b[2..8].IndexOfAnyExcept((byte)0) < 0 => (AddressKind.Private, "discard-only 100::/64"),
            _ when first16 == 0x2001 && second16 == 0x0DB8 => (AddressKind.Private, "documentation 2001:db8::/32"),
            _ when first16 == 0x2001 && second16 == 0x0000 => (AddressKind.Private, "Teredo 2001::/32"),
            _ when first16 == 0x2001 && second16 < 0x0200 => (AddressKind.Private, "IETF protocol assignments 2001::/23"),
            _ when first16 == 0x3FFF && (b[2] & 0xF0) == 0 => (AddressKind.Private, "documentation 3fff::/20"),
            _ when first16 == 0x5F00 => (AddressKind.Private, "segment routing 5f00::/16"),
            // Global unicast is 2000::/3; everything else is unassigned or reserved.
            _ when (b[0] & 0xE0) != 0x20 => (AddressKind.Private, "not global unicast (outside 2000::/3)"),
            _ => (AddressKind.Public, null),
        };
    }

    private static (AddressKind Kind, string? Range) ClassifyV4(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        var value = ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
        foreach (var (network, bits, kind, name) in V4)
        {
            var mask = uint.MaxValue << (32 - bits);
            if ((value & mask) == network)
            {
                return (kind, name);
            }
        }

        return (AddressKind.Public, null);
    }
}
