using System.Runtime.CompilerServices;
using BmesCds.CdsHooks.Requests;

namespace BmesCds.Service.FhirServers;

/// <summary>
/// What one hook call may still take from FHIR servers: the bytes left of Fhir:MaxBytesPerCall, shared by every key
/// and page fetched in parallel, and the policy's verdict on its fhirServer (decided and logged once per call). Kept
/// beside the call's <see cref="HookRequest"/>, and gone with it.
/// </summary>
public sealed class FhirCallAllowance(long maxBytes)
{
    private static readonly ConditionalWeakTable<HookRequest, FhirCallAllowance> Calls = [];

    private long _bytesLeft = maxBytes;

    public long MaxBytes { get; } = maxBytes;

    public long BytesLeft => Interlocked.Read(ref _bytesLeft);

    /// <summary>The policy's verdict for this call's fhirServer, once decided (read and written under a lock on this).</summary>
    internal bool? Permitted { get; set; }

    /// <summary>The allowance of the call <paramref name="request"/> belongs to (created on first use).</summary>
    public static FhirCallAllowance Of(HookRequest request, long maxBytes) =>
        Calls.GetValue(request, _ => new FhirCallAllowance(maxBytes));

    /// <summary>Takes <paramref name="bytes"/> from the call's budget; false (and nothing taken) when they are not left.</summary>
    public bool TryTake(long bytes)
    {
        while (true)
        {
            var left = Interlocked.Read(ref _bytesLeft);
            if (bytes > left)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _bytesLeft, left - bytes, left) == left)
            {
                return true;
            }
        }
    }
}
