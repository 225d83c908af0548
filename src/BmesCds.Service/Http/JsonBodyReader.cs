using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Http;

/// <summary>
/// Reads a POSTed JSON body: checks the media type (415), the size (413, before and while reading), and that it is
/// JSON at all (400). The body is buffered whole: the parsers need random access and the size is capped.
/// </summary>
public sealed class JsonBodyReader(IOptions<RequestBodyOptions> options)
{
    public async Task<(JsonDocument? Document, FhirOutcome? Error)> ReadAsync(HttpRequest request, CancellationToken cancel)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, FhirOutcome.Create(
                StatusCodes.Status415UnsupportedMediaType,
                OperationOutcome.IssueType.NotSupported,
                $"Content-Type must be application/json (got '{request.ContentType ?? "none"}')"));
        }

        var limit = options.Value.MaxBodyBytes;
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }

        byte[] body;
        try
        {
            body = await ReadCappedAsync(request.Body, limit, cancel);
        }
        catch (BodyTooLargeException)
        {
            return (null, TooLarge(limit));
        }
        catch (BadHttpRequestException failure) when (failure.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(limit));
        }

        try
        {
            return (JsonDocument.Parse(body), null);
        }
        catch (JsonException failure)
        {
            var where = failure.LineNumber is { } line ? $" (line {line + 1}, position {failure.BytePositionInLine + 1})" : string.Empty;
            return (null, FhirOutcome.Create(
                StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Structure, $"The body is not valid JSON{where}."));
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType is { } type
        && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static FhirOutcome TooLarge(long limit) => FhirOutcome.Create(
        StatusCodes.Status413PayloadTooLarge,
        OperationOutcome.IssueType.TooCostly,
        $"The body is larger than the limit of {limit} bytes (setting Requests:MaxBodyBytes).");

    private static async Task<byte[]> ReadCappedAsync(Stream body, long limit, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new BodyTooLargeException();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private sealed class BodyTooLargeException : Exception;
}
