using System.IO.Pipelines;

namespace BmesCds.Service.Hosting;

/// <summary>
/// The request body as a stream whose reads end cleanly when the request is cancelled (the time limit ran out, or
/// the client went away). A Kestrel body read cancelled through its token leaves Kestrel's reader "in progress", so
/// Kestrel's draining of the body after the answer fails with an Error in the log; here a cancellation cancels the
/// pending read instead (<see cref="PipeReader.CancelPendingRead"/>) and the read is completed properly before the
/// OperationCanceledException is thrown.
/// </summary>
public sealed class CancellableRequestBodyStream(PipeReader reader, CancellationToken requestAborted) : Stream
{
    /// <summary>Kestrel's refusal of the body (e.g. slower than MinRequestBodyDataRate), when it happened.</summary>
    public BadHttpRequestException? Refused { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, cancellationToken);
        await using var registration = cancel.Token.Register(reader.CancelPendingRead).ConfigureAwait(false);
        ReadResult result;
        try
        {
            result = await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (BadHttpRequestException refused)
        {
            // Kept for the answer: whoever reads the body may take this for a client that went away.
            Refused = refused;
            throw;
        }

        if (result.IsCanceled)
        {
            reader.AdvanceTo(result.Buffer.Start);
            throw new OperationCanceledException(cancel.Token);
        }

        var available = result.Buffer;
        var count = (int)Math.Min(buffer.Length, available.Length);
        System.Buffers.BuffersExtensions.CopyTo(available.Slice(0, count), buffer.Span);
        reader.AdvanceTo(available.GetPosition(count));
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Synchronous reads are off in Kestrel (AllowSynchronousIO false); kept correct for completeness.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
