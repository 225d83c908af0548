using System.Net.Http.Headers;
using System.Text.Json;
using BmesCds.Service.FhirServers;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.PatientData;

/// <summary>One key to read from the FHIR server, starting at <paramref name="FirstUrl"/>.</summary>
/// <param name="Key">The prefetch key.</param>
/// <param name="Template">The template, named in error messages instead of the URL (which holds the patient id).</param>
/// <param name="FirstUrl">The rendered template, or the `next` link of a prefetched Bundle.</param>
/// <param name="ReadType">For a read (e.g. "Patient/123"), the resource type expected; null for a search.</param>
/// <param name="PagesBefore">Pages already read (a prefetched Bundle page), counted against the page cap.</param>
/// <param name="ResourcesBefore">Resources already read, counted against the resource cap.</param>
/// <param name="HookInstance">The hook call, for the log line that says why a fetch failed.</param>
public sealed record FetchRequest(
    string Key, string Template, Uri FirstUrl, string? ReadType, int PagesBefore = 0, int ResourcesBefore = 0, string? HookInstance = null);

/// <summary>What one key's fetch gave: resources, or why not. NotFound is a read answered 404/410: no data, not a failure.</summary>
public sealed record FetchResult(IReadOnlyList<SourcedResource> Resources, int Pages, int? LastStatus, string? Failure, bool NotFound = false);

/// <summary>
/// Reads one prefetch template's answer from the EHR's FHIR server: GET with Accept application/fhir+json and the
/// bearer token when the client gave one, then every `next` page, but only while the link stays under fhirServer
/// (the token is never sent anywhere else), never twice the same page, and within the page, resource and byte caps.
/// Each answer is read as a stream up to Fhir:MaxBytesPerAnswer and charged to the call's Fhir:MaxBytesPerCall;
/// the parse buffers go back to the pool as soon as the resources are copied out. Anything about what the server
/// is or sent (unreachable, refused address, HTTP status, not FHIR JSON) reads the same to the caller
/// (<see cref="FhirServerPolicy.Refusal"/>); the reason goes to the log, with the hookInstance, never the URL.
/// </summary>
public sealed class FhirSearchClient(
    IHttpClientFactory httpClients, IOptions<FhirFetchOptions> options, IHttpContextAccessor http, ILogger<FhirSearchClient> logger)
{
    /// <summary>The named HttpClient (see ServiceRegistration: no redirects, no proxy, checked addresses, no request logging).</summary>
    public const string HttpClientName = "fhir-server";

    public async Task<FetchResult> FetchAsync(FhirServerEndpoint server, FetchRequest request, CancellationToken cancel)
    {
        var limits = options.Value;
        var allowance = FhirCallAllowance.Of(http.HttpContext, limits.MaxBytesPerCall);
        var client = httpClients.CreateClient(HttpClientName);
        var resources = new List<SourcedResource>();
        var visited = new HashSet<Uri>();
        var page = request.PagesBefore;
        int? status = null;
        for (Uri? url = request.FirstUrl; url is not null;)
        {
            page++;
            var what = page == 1 ? request.Template : $"page {page} of {request.Template}";
            if (url == NextLinks.Unusable)
            {
                return Failed($"page {page - 1} of {request.Template} has a next link that cannot be followed (no usable URL); the rest was not read");
            }

            if (page > limits.MaxPages)
            {
                return Failed($"has more than {limits.MaxPages} pages (Fhir:MaxPages); {what} was not read");
            }

            if (!server.Owns(url))
            {
                return Failed($"the link to {what} points outside fhirServer and is not followed (the token is only sent to fhirServer)");
            }

            if (!visited.Add(url))
            {
                return Failed($"the link to {what} leads back to a page already read; paging stopped");
            }

            using var answer = await GetAsync(client, server, url, limits, allowance, cancel);
            status = answer.Status ?? status;
            if (request.ReadType is not null && answer.Status is 404 or 410)
            {
                return new FetchResult(resources, page, status, null, NotFound: true);
            }

            if (answer.Problem is { } problem)
            {
                return Failed(Describe(problem, what, limits), answer.Detail);
            }

            var json = answer.Document!.RootElement;
            var type = json.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var expected = request.ReadType ?? "Bundle";
            if (type != expected)
            {
                return Failed(FhirServerPolicy.Refusal(what), $"answered {what} with {(type is null ? "JSON that is not a FHIR resource" : "another resource type")} instead of a {expected}");
            }

            if (request.ReadType is not null)
            {
                resources.Add(new SourcedResource($"fhirServer.{request.Key}", json.Clone()));
                break;
            }

            try
            {
                // Each resource is copied out of the page, so the page's pooled parse buffers go back when it is disposed.
                resources.AddRange(BundleFlattener.Flatten($"fhirServer.{request.Key}.page[{page}]", json)
                    .Select(resource => resource with { Json = resource.Json.Clone() }));
            }
            catch (InvalidOperationException)
            {
                return Failed(FhirServerPolicy.Refusal(what), $"answered {what} with a Bundle whose entries have elements of the wrong JSON type");
            }

            if (request.ResourcesBefore + resources.Count > limits.MaxResources)
            {
                return Failed($"has more than {limits.MaxResources} resources (Fhir:MaxResources)");
            }

            var next = NextLinks.Read(json);
            url = next is null ? null : next == NextLinks.Unusable ? next : server.Resolve(next.OriginalString);
        }

        return new FetchResult(resources, page - request.PagesBefore, status, null);

        FetchResult Failed(string why, string? detail = null)
        {
            if (detail is not null)
            {
                logger.LogInformation(
                    "Hook {HookInstance} prefetch key {PrefetchKey}: the FHIR server at {FhirServer} {FetchProblem}",
                    request.HookInstance ?? "-",
                    request.Key,
                    server.Authority,
                    detail);
            }

            return new(resources, page - request.PagesBefore, status, why);
        }
    }

    private static string Describe(AnswerProblem problem, string what, FhirFetchOptions limits) => problem switch
    {
        AnswerProblem.TooLarge => $"the answer to {what} is larger than {limits.MaxBytesPerAnswer} bytes (Fhir:MaxBytesPerAnswer); it was not read further",
        AnswerProblem.CallBudgetSpent => $"the FHIR answers of this call went over {limits.MaxBytesPerCall} bytes (Fhir:MaxBytesPerCall) while reading {what}",
        AnswerProblem.BadToken => "fhirAuthorization.access_token cannot be sent in an HTTP header (it holds spaces or control characters)",
        _ => FhirServerPolicy.Refusal(what),
    };

    private enum AnswerProblem
    {
        /// <summary>Anything about the server: unreachable, refused address, HTTP status, not JSON. One text for all.</summary>
        Unusable,
        TooLarge,
        CallBudgetSpent,
        BadToken,
    }

    /// <summary>One HTTP answer: its parsed JSON (owned: dispose it), or the problem and, for the log, what happened.</summary>
    private sealed record Answer(JsonDocument? Document, int? Status, AnswerProblem? Problem, string? Detail) : IDisposable
    {
        public void Dispose() => Document?.Dispose();
    }

    private static async Task<Answer> GetAsync(
        HttpClient client, FhirServerEndpoint server, Uri url, FhirFetchOptions limits, FhirCallAllowance allowance, CancellationToken cancel)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        if (server.Authorization is { } authorization)
        {
            if (!IsHeaderSafe(authorization.AccessToken))
            {
                return new Answer(null, null, AnswerProblem.BadToken, null);
            }

            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", authorization.AccessToken);
        }

        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancel);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                // The server's own text is not echoed, not even to the log: it may quote patient data.
                var redirect = status is >= 300 and < 400 ? " (redirects are not followed)" : string.Empty;
                return Unusable(status, $"answered {status} {ReasonPhrases.GetReasonPhrase(status)}{redirect}");
            }

            if (response.Content.Headers.ContentType?.MediaType is { } media && !media.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                return Unusable(status, "answered with a Content-Type that is not JSON");
            }

            var announced = response.Content.Headers.ContentLength;
            if (announced > limits.MaxBytesPerAnswer)
            {
                return new Answer(null, status, AnswerProblem.TooLarge, $"announced {announced} bytes");
            }

            if (announced > allowance.BytesLeft)
            {
                return new Answer(null, status, AnswerProblem.CallBudgetSpent, $"announced {announced} bytes");
            }

            var body = await response.Content.ReadAsStreamAsync(cancel);
            await using var capped = new CappedReadStream(body, limits.MaxBytesPerAnswer, allowance);
            var document = await JsonDocument.ParseAsync(capped, cancellationToken: cancel);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return Unusable(status, "answered with JSON that is not a FHIR resource");
            }

            return new Answer(document, status, null, null);
        }
        catch (AnswerTooLargeException tooLarge)
        {
            return new Answer(null, null, tooLarge.Cap == AnswerCap.Answer ? AnswerProblem.TooLarge : AnswerProblem.CallBudgetSpent, "sent more than the cap; the connection was dropped");
        }
        catch (JsonException)
        {
            return Unusable(null, "answered with a body that is not JSON (or nested too deep)");
        }
        catch (HttpRequestException failure)
        {
            return Unusable(null, $"gave no usable answer ({Describe(failure)})");
        }
        catch (IOException failure)
        {
            return Unusable(null, $"broke off its answer ({failure.GetType().Name})");
        }

        Answer Unusable(int? status, string detail) => new(null, status, AnswerProblem.Unusable, detail);
    }

    // Visible ASCII only: what a bearer token is made of (RFC 6750 b64token is a subset), and nothing that could
    // end the header or start another one.
    private static bool IsHeaderSafe(string token) =>
        token.Length > 0 && token.All(c => c is > ' ' and < (char)0x7F);

    // The kind of failure only: exception messages are not echoed (they can hold the URL), except ours, which
    // name the host and the address only.
    private static string Describe(HttpRequestException failure) => failure.InnerException switch
    {
        AddressRefusedException refused => $"address refused: {refused.Message}",
        System.Net.Sockets.SocketException socket => $"{failure.HttpRequestError}: {socket.SocketErrorCode}",
        _ => failure.HttpRequestError.ToString(),
    };
}
