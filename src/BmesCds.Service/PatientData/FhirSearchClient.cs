using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
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
public sealed record FetchRequest(string Key, string Template, Uri FirstUrl, string? ReadType, int PagesBefore = 0, int ResourcesBefore = 0);

/// <summary>What one key's fetch gave: resources, or why not. NotFound is a read answered 404/410: no data, not a failure.</summary>
public sealed record FetchResult(IReadOnlyList<SourcedResource> Resources, int Pages, int? LastStatus, string? Failure, bool NotFound = false);

/// <summary>
/// Reads one prefetch template's answer from the EHR's FHIR server: GET with Accept application/fhir+json and the
/// bearer token when the client gave one, then every `next` page, but only while the link stays under fhirServer
/// (the token is never sent anywhere else) and within the page and resource caps. Answers are read as JSON and
/// flattened; the record assembler parses them as FHIR, exactly as it parses prefetch.
/// </summary>
public sealed class FhirSearchClient(IHttpClientFactory httpClients, IOptions<FhirFetchOptions> options)
{
    /// <summary>The named HttpClient (see ServiceRegistration: no redirects, no request logging).</summary>
    public const string HttpClientName = "fhir-server";

    public async Task<FetchResult> FetchAsync(FhirServerEndpoint server, FetchRequest request, CancellationToken cancel)
    {
        var limits = options.Value;
        var http = httpClients.CreateClient(HttpClientName);
        var resources = new List<SourcedResource>();
        var page = request.PagesBefore;
        int? status = null;
        for (Uri? url = request.FirstUrl; url is not null;)
        {
            page++;
            var what = page == 1 ? request.Template : $"page {page} of {request.Template}";
            if (page > limits.MaxPages)
            {
                return Failed($"has more than {limits.MaxPages} pages (Fhir:MaxPages); {what} was not read");
            }

            if (!server.Owns(url))
            {
                return Failed($"the link to {what} points outside fhirServer and is not followed (the token is only sent to fhirServer)");
            }

            var answer = await GetAsync(http, server, url, what, cancel);
            status = answer.Status ?? status;
            if (request.ReadType is not null && answer.Status is 404 or 410)
            {
                return new FetchResult(resources, page, status, null, NotFound: true);
            }

            if (answer.Failure is not null)
            {
                return Failed(answer.Failure);
            }

            var json = answer.Json!.Value;
            var type = json.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var expected = request.ReadType ?? "Bundle";
            if (type != expected)
            {
                return Failed($"the FHIR server answered {what} with {(type is null ? "JSON that is not a FHIR resource" : $"a {type}")} instead of a {expected}");
            }

            if (request.ReadType is not null)
            {
                resources.Add(new SourcedResource($"fhirServer.{request.Key}", json));
                break;
            }

            resources.AddRange(BundleFlattener.Flatten($"fhirServer.{request.Key}.page[{page}]", json));
            if (request.ResourcesBefore + resources.Count > limits.MaxResources)
            {
                return Failed($"has more than {limits.MaxResources} resources (Fhir:MaxResources)");
            }

            var next = PrefetchPlanner.NextLink(json);
            url = next is null ? null : server.Resolve(next.OriginalString);
        }

        return new FetchResult(resources, page - request.PagesBefore, status, null);

        FetchResult Failed(string why) => new(resources, page - request.PagesBefore, status, why);
    }

    private sealed record Answer(JsonElement? Json, int? Status, string? Failure);

    private static async Task<Answer> GetAsync(HttpClient http, FhirServerEndpoint server, Uri url, string what, CancellationToken cancel)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        if (server.Authorization is { } authorization)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", authorization.AccessToken);
        }

        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancel);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                // The reason phrase is ours, not the server's, and the server's OperationOutcome is not echoed:
                // it may quote patient data.
                return new Answer(null, status, $"the FHIR server answered {status} {ReasonPhrases.GetReasonPhrase(status)} to {what}");
            }

            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancel);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancel);
                return document.RootElement.ValueKind == JsonValueKind.Object
                    ? new Answer(document.RootElement.Clone(), status, null)
                    : new Answer(null, status, $"the FHIR server answered {what} with JSON that is not a FHIR resource");
            }
            catch (JsonException)
            {
                return new Answer(null, status, $"the FHIR server's answer to {what} is not JSON");
            }
        }
        catch (HttpRequestException failure)
        {
            return new Answer(null, null, $"the FHIR server gave no usable answer to {what} ({Describe(failure)})");
        }
    }

    // The kind of failure only: exception messages are not echoed.
    private static string Describe(HttpRequestException failure) =>
        failure.InnerException is SocketException socket
            ? $"{failure.HttpRequestError}: {socket.SocketErrorCode}"
            : failure.HttpRequestError.ToString();
}
