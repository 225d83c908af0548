using BmesCds.Service.FhirServers;

namespace BmesCds.Service.PatientData;

/// <summary>Which cap a FHIR answer ran into.</summary>
public enum AnswerCap
{
    /// <summary>Fhir:MaxBytesPerAnswer: one answer (one page).</summary>
    Answer,

    /// <summary>Fhir:MaxBytesPerCall: all answers of the hook call together.</summary>
    Call,
}

/// <summary>Thrown by <see cref="CappedReadStream"/> when a read would go past a cap.</summary>
public sealed class AnswerTooLargeException(AnswerCap cap) : IOException($"FHIR answer over the {cap} cap")
{
    public AnswerCap Cap { get; } = cap;
}

/// <summary>
/// A response body read up to a cap: each read is charged to the answer's own cap and to the call's byte budget,
/// and the read that would go past either throws instead of returning data. So an endless or huge answer costs at
/// most the cap in memory, and the caller abandons the connection.
/// </summary>
public sealed class CappedReadStream(Stream inner, long maxBytes, FhirCallAllowance call) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // One byte more than the cap may hold, so that an answer of exactly the cap is not taken for a longer one.
        var room = (int)Math.Min(buffer.Length, maxBytes - _read + 1);
        var count = await inner.ReadAsync(buffer[..room], cancellationToken).ConfigureAwait(false);
        return Charge(count);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var room = (int)Math.Min(buffer.Length, maxBytes - _read + 1);
        return Charge(inner.Read(buffer[..room]));
    }

    private int Charge(int count)
    {
        _read += count;
        if (_read > maxBytes)
        {
            throw new AnswerTooLargeException(AnswerCap.Answer);
        }

        if (!call.TryTake(count))
        {
            throw new AnswerTooLargeException(AnswerCap.Call);
        }

        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
