using System.Text.Json;
using BmesCds.CdsHooks.Conformance;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// Sits in every test client: each successful service-call response is checked against the CDS Hooks response
/// rules, so the conformance suite runs on every response any test produces.
/// </summary>
public sealed class ConformanceCheckingHandler : DelegatingHandler
{
    public static int ResponsesChecked => _responsesChecked;

    private static int _responsesChecked;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (IsServiceCall(request) && response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(body);
            var problems = ResponseConformance.Check(json.RootElement);
            Interlocked.Increment(ref _responsesChecked);
            if (problems.Count > 0)
            {
                Assert.Fail($"Response of {request.RequestUri} breaks CDS Hooks rules:\n{string.Join('\n', problems)}\n{body}");
            }
        }

        return response;
    }

    private static bool IsServiceCall(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post
        && request.RequestUri is { } uri
        && uri.AbsolutePath.StartsWith("/cds-services/", StringComparison.Ordinal)
        && !uri.AbsolutePath.EndsWith("/feedback", StringComparison.Ordinal);
}
