namespace BmesCds.Service.FhirServers;

/// <summary>
/// What one hook call may still take from FHIR servers: the bytes left of Fhir:MaxBytesPerCall, shared by every key
/// and page fetched in parallel, and the policy's verdict on its fhirServer (decided and logged once per call).
/// Kept in the call's HttpContext; without one (a direct caller, a test) each fetch gets a fresh allowance.
/// </summary>
public sealed class FhirCallAllowance(long maxBytes)
{
    private static readonly object ItemKey = new();

    private long _bytesLeft = maxBytes;

    public long MaxBytes { get; } = maxBytes;

    public long BytesLeft => Interlocked.Read(ref _bytesLeft);

    /// <summary>The policy's verdict for this call's fhirServer, once decided.</summary>
    internal (Uri Server, bool Allowed)? Verdict { get; set; }

    /// <summary>The allowance of the call <paramref name="context"/> belongs to (created on first use).</summary>
    public static FhirCallAllowance Of(HttpContext? context, long maxBytes)
    {
        if (context is null)
        {
            return new FhirCallAllowance(maxBytes);
        }

        // The keys of a call are fetched in parallel: Items is not thread-safe.
        lock (context.Items)
        {
            if (context.Items.TryGetValue(ItemKey, out var existing) && existing is FhirCallAllowance allowance)
            {
                return allowance;
            }

            allowance = new FhirCallAllowance(maxBytes);
            context.Items[ItemKey] = allowance;
            return allowance;
        }
    }

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
