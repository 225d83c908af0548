using System.Buffers;
using System.Net.Http.Headers;
using BmesCds.CdsHooks.Json;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Http;

/// <summary>
/// A request body in one pooled buffer; disposing returns the buffer to the pool. Made when the body has arrived (or
/// once it outgrows what Kestrel holds for it), sized to what has arrived, or to Content-Length when the client sent
/// one (at most <see cref="MostReservedAhead"/> ahead of the bytes, so that a client announcing a large body and
/// sending nothing holds little); grown to that length once the bytes outgrow the first buffer; without one, by doubling.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private const int MostReservedAhead = 256 * 1024;

    // Not ArrayPool.Shared, which keeps a buffer of each size per thread as well as per core: after 64 connections posting
    // 668 KB bodies it held 76 MB of them. This one keeps at most 8 of each size; more are left to the garbage collector.
    // Replaced by an empty one when the service is idle after a burst (DropPooled); a buffer rented from the previous one
    // goes back to the new one (it has one of the pool's sizes).
    private static ArrayPool<byte> s_pool = NewPool();

    private readonly long? _expectedLength;
    private byte[]? _buffer;

    internal PooledBody(long? expectedLength, long arrived)
    {
        _expectedLength = expectedLength;
        _buffer = Pool.Rent((int)Math.Max(arrived, Math.Clamp(expectedLength ?? arrived, 1, MostReservedAhead)));
    }

    private static ArrayPool<byte> Pool => Volatile.Read(ref s_pool);

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _buffer is { } buffer ? buffer.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(PooledBody));

    internal void Append(ReadOnlySequence<byte> chunk)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(PooledBody));
        var needed = Length + (int)chunk.Length;
        if (needed > buffer.Length)
        {
            // Straight to the announced length once the body outgrows the first buffer (668 KB: 256 KB then 1 MB, not
            // 256 KB, 512 KB and 1 MB); without one, or past it, by doubling.
            var size = _expectedLength >= needed ? _expectedLength.Value : Math.Max(needed, (long)buffer.Length * 2);
            var larger = Pool.Rent((int)Math.Min(size, Array.MaxLength));
            buffer.AsSpan(0, Length).CopyTo(larger);
            Pool.Return(buffer);
            _buffer = buffer = larger;
        }

        chunk.CopyTo(buffer.AsSpan(Length));
        Length = needed;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            Pool.Return(buffer);
        }
    }

    /// <summary>Lets go of the pooled buffers (the idle memory trim): the next bodies start an empty pool.</summary>
    internal static void DropPooled() => Volatile.Write(ref s_pool, NewPool());

    private static ArrayPool<byte> NewPool() => ArrayPool<byte>.Create(maxArrayLength: Array.MaxLength, maxArraysPerBucket: 8);
}

/// <summary>How reading a body ended: the body, or the answer to give instead, or the client gone.</summary>
public readonly record struct BodyRead(PooledBody? Body, FhirOutcome? Error, bool ClientGone);

/// <summary>
/// Reads a POSTed JSON body from the request pipe into one pooled buffer, once: checks the media type (415) and the
/// size (413, before and while reading, Requests:MaxBodyBytes). The body waits in Kestrel's own pooled blocks until it
/// has arrived and is then copied out once, so that the calls waiting for a core (64 connections, 2 cores) hold no
/// buffer of ours; a body larger than <see cref="HeldByKestrelAtMost"/> is copied out as it arrives, since Kestrel stops
/// reading from the socket at 1 MB unread. JSON itself is checked by whoever parses it. A client that gives up mid-body
/// is not an error of the service: it is reported as gone, for a Debug line.
/// </summary>
public sealed class RequestBodyReader(IOptions<RequestLimits> options)
{
    /// <summary>Unread bytes left in Kestrel's blocks before they are copied out (half its 1 MB read-ahead).</summary>
    public const int HeldByKestrelAtMost = 512 * 1024;

    public async Task<BodyRead> ReadAsync(HttpRequest request, CancellationToken cancel)
    {
        if (!IsJson(request.ContentType))
        {
            return new BodyRead(null, FhirOutcome.Create(
                StatusCodes.Status415UnsupportedMediaType,
                OperationOutcome.IssueType.NotSupported,
                $"Content-Type must be application/json (got '{Printable(request.ContentType)}')"), false);
        }

        var limit = options.Value.MaxBodyBytes;
        if (request.ContentLength > limit)
        {
            return new BodyRead(null, TooLarge(limit), false);
        }

        var pipe = request.BodyReader;
        PooledBody? body = null;
        try
        {
            while (true)
            {
                var result = await pipe.ReadAsync(cancel);
                var unread = result.Buffer;
                if ((body?.Length ?? 0) + unread.Length > limit)
                {
                    pipe.AdvanceTo(unread.End);
                    body?.Dispose();
                    return new BodyRead(null, TooLarge(limit), false);
                }

                var done = result.IsCompleted || result.IsCanceled;
                if (!done && unread.Length < HeldByKestrelAtMost)
                {
                    // Nothing consumed, all examined: the next read returns when more has arrived.
                    pipe.AdvanceTo(unread.Start, unread.End);
                    continue;
                }

                body ??= new PooledBody(request.ContentLength, unread.Length);
                body.Append(unread);
                pipe.AdvanceTo(unread.End);
                if (done)
                {
                    return new BodyRead(body, null, false);
                }
            }
        }
        catch (BadHttpRequestException failure) when (failure.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body?.Dispose();
            return new BodyRead(null, TooLarge(limit), false);
        }
        catch (Exception failure) when (IsClientGone(failure, cancel))
        {
            body?.Dispose();
            return new BodyRead(null, null, true);
        }
        catch
        {
            body?.Dispose();
            throw;
        }
    }

    // The client closed the connection, reset it, stopped sending (Kestrel's minimum data rate), or the request was aborted.
    private static bool IsClientGone(Exception failure, CancellationToken cancel) =>
        failure is ConnectionResetException or IOException or BadHttpRequestException
        || (failure is OperationCanceledException && cancel.IsCancellationRequested);

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType is { } type
        && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static FhirOutcome TooLarge(long limit) => FhirOutcome.Create(
        StatusCodes.Status413PayloadTooLarge,
        OperationOutcome.IssueType.TooCostly,
        $"The body is larger than the limit of {limit} bytes (setting Requests:MaxBodyBytes).");

    // The header is the caller's: echo a short, printable form of it.
    private static string Printable(string? text) =>
        text is null ? "none" : new string([.. text.Take(100).Where(c => !char.IsControl(c))]);
}
