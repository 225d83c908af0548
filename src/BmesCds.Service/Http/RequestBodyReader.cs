using System.Buffers;
using System.Net.Http.Headers;
using BmesCds.CdsHooks.Json;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Http;

/// <summary>
/// A request body in one pooled buffer, filled chunk by chunk as the body arrives; disposing returns the buffer to the
/// pool. Sized from Content-Length when the client sent it (at most <see cref="MostReservedAhead"/> before the bytes
/// arrive, so that a client announcing a large body and sending nothing holds little), and grown by doubling.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private const int FirstSize = 4096;
    private const int MostReservedAhead = 256 * 1024;

    private byte[]? _buffer;

    internal PooledBody(long? expectedLength) =>
        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(expectedLength ?? FirstSize, 1, MostReservedAhead));

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _buffer is { } buffer ? buffer.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(PooledBody));

    internal void Append(ReadOnlySequence<byte> chunk)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(PooledBody));
        var needed = Length + (int)chunk.Length;
        if (needed > buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, (long)buffer.Length * 2), Array.MaxLength));
            buffer.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
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
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>How reading a body ended: the body, or the answer to give instead, or the client gone.</summary>
public readonly record struct BodyRead(PooledBody? Body, FhirOutcome? Error, bool ClientGone);

/// <summary>
/// Reads a POSTed JSON body from the request pipe into one pooled buffer, once: checks the media type (415) and the
/// size (413, before and while reading, Requests:MaxBodyBytes). Each chunk is copied out and handed back to Kestrel as
/// it arrives, so a body in flight is held once, not twice (Kestrel's buffers and ours). JSON itself is checked by whoever parses it. A client
/// that gives up mid-body is not an error of the service: it is reported as gone, for a Debug line.
/// </summary>
public sealed class RequestBodyReader(IOptions<RequestLimits> options)
{
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
        var body = new PooledBody(request.ContentLength);
        try
        {
            while (true)
            {
                var result = await pipe.ReadAsync(cancel);
                var chunk = result.Buffer;
                if (body.Length + chunk.Length > limit)
                {
                    pipe.AdvanceTo(chunk.End);
                    body.Dispose();
                    return new BodyRead(null, TooLarge(limit), false);
                }

                body.Append(chunk);
                pipe.AdvanceTo(chunk.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return new BodyRead(body, null, false);
                }
            }
        }
        catch (BadHttpRequestException failure) when (failure.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body.Dispose();
            return new BodyRead(null, TooLarge(limit), false);
        }
        catch (Exception failure) when (IsClientGone(failure, cancel))
        {
            body.Dispose();
            return new BodyRead(null, null, true);
        }
        catch
        {
            body.Dispose();
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
