using System.Collections.Concurrent;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>What the service sent to FHIR servers: URL and Authorization header of each request.</summary>
public sealed class FhirRequestLog
{
    private readonly ConcurrentQueue<(Uri Url, string? Authorization)> _requests = new();

    public IReadOnlyList<(Uri Url, string? Authorization)> Requests => _requests.ToList();

    public void Add(Uri url, string? authorization) => _requests.Enqueue((url, authorization));

    public void Clear() => _requests.Clear();
}

/// <summary>
/// Sits in the service's FHIR HttpClient (added by a test) to note each request; may answer some requests itself
/// (e.g. a malformed body) instead of passing them on.
/// </summary>
public sealed class RecordingFhirHandler(FhirRequestLog log, Func<HttpRequestMessage, HttpResponseMessage?>? answer = null) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        log.Add(request.RequestUri!, request.Headers.Authorization?.ToString());
        return answer?.Invoke(request) is { } canned ? Task.FromResult(canned) : base.SendAsync(request, cancellationToken);
    }
}
