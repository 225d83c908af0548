using System.Security.Cryptography;
using System.Text;

namespace BmesCds.Ledger.Records;

/// <summary>
/// The pseudonymous patient key the ledger stores instead of the patient id: HMAC-SHA256 of the id with a site secret,
/// as lower-case hex. The same patient gets the same key (so snooze works) while the id cannot be read back or
/// recomputed without the secret.
/// </summary>
public sealed class PatientKey
{
    /// <summary>Shortest accepted secret, in bytes: HMAC-SHA256's security needs a key of at least its output size.</summary>
    public const int MinimumSecretBytes = 32;

    private readonly byte[] _secret;

    public PatientKey(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < MinimumSecretBytes)
        {
            throw new ArgumentException($"The patient key secret must be at least {MinimumSecretBytes} bytes.", nameof(secret));
        }

        _secret = (byte[])secret.Clone();
    }

    public string Of(string patientId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(patientId)));
}
