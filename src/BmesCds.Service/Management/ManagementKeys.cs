using System.Security.Cryptography;
using System.Text;

namespace BmesCds.Service.Management;

/// <summary>
/// The configured management keys, held as SHA-256 digests. A presented key is hashed and compared with every digest
/// in constant time, without stopping at a match: neither its length nor which key it resembles shows in the timing.
/// </summary>
internal sealed class ManagementKeys
{
    private readonly byte[][] _digests;

    public ManagementKeys(IEnumerable<string> keys) => _digests = keys.Select(Digest).ToArray();

    public bool IsEmpty => _digests.Length == 0;

    public bool Matches(string presented)
    {
        var digest = Digest(presented);
        var matched = false;
        foreach (var known in _digests)
        {
            matched |= CryptographicOperations.FixedTimeEquals(digest, known);
        }

        return matched;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
