using System.Buffers;
using System.Net.Http.Headers;
using BmesCds.CdsHooks.Json;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Http;

/// <summary>A request body in one pooled buffer; disposing returns the buffer to the pool.</summary>
public sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;

    public PooledBody(ReadOnlySequence<byte> content)
    {
        _buffer = ArrayPool<byte>.Shared.Rent((int)content.Length);
        content.CopyTo(_buffer);
        Length = (int)content.Length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer is { } buffer ? buffer.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(PooledBody));

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
/// size (413, before and while reading, Requests:MaxBodyBytes). JSON itself is checked by whoever parses it. A client
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
        try
        {
            while (true)
            {
                var result = await pipe.ReadAsync(cancel);
                var buffer = result.Buffer;
                if (buffer.Length > limit)
                {
                    pipe.AdvanceTo(buffer.End);
                    return new BodyRead(null, TooLarge(limit), false);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    var body = new PooledBody(buffer);
                    pipe.AdvanceTo(buffer.End);
                    return new BodyRead(body, null, false);
                }

                // Nothing consumed, everything examined: the pipe keeps buffering until the body is complete.
                pipe.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (BadHttpRequestException failure) when (failure.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new BodyRead(null, TooLarge(limit), false);
        }
        catch (Exception failure) when (IsClientGone(failure, cancel))
        {
            return new BodyRead(null, null, true);
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
