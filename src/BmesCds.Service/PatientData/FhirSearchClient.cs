using System.Net.Http.Headers;
using System.Net.Sockets;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.PatientData;

/// <summary>
/// The host's <see cref="IFhirFetcher"/>: reads one prefetch template's answer from the EHR's FHIR server. GET with
/// Accept application/fhir+json and the bearer token when the client gave one, then every `next` page, but only while
/// the link stays under fhirServer (the token is never sent anywhere else) and within the page and resource caps.
/// Plain http only where allowed (Fhir:AllowHttp). Each page is walked by the same <see cref="FhirJsonWalker"/> as
/// prefetch; the record assembler parses what the rules read.
/// </summary>
public sealed class FhirSearchClient(
    IHttpClientFactory httpClients, FhirJsonWalker walker, IOptions<FhirFetchOptions> options, IOptions<RequestLimits> limits) : IFhirFetcher
{
    /// <summary>The named HttpClient (see ServiceRegistration: no redirects, no request logging).</summary>
    public const string HttpClientName = "fhir-server";

    public async Task<FetchOutcome> FetchAsync(FhirFetch fetch, CancellationToken budget)
    {
        var settings = options.Value;
        var server = new FhirServerEndpoint(fetch.Request.FhirServer!, fetch.Request.FhirAuthorization);
        if (!server.IsHttps && !settings.AllowHttp)
        {
            return new FetchOutcome([], null, $"{fetch.Why}, and fhirServer is plain http, which this deployment does not use (https is required; Fhir:AllowHttp)");
        }

        var http = httpClients.CreateClient(HttpClientName);
        var pages = new List<FetchedPage>();
        var resources = fetch.ResourcesBefore;
        var page = fetch.PagesBefore;
        int? status = null;
        for (Uri? url = server.Resolve(fetch.FirstUrl); url is not null;)
        {
            page++;
            var what = page == 1 ? fetch.Template : $"page {page} of {fetch.Template}";
            if (page > settings.MaxPages)
            {
                return Failed($"has more than {settings.MaxPages} pages (Fhir:MaxPages); {what} was not read");
            }

            if (!server.Owns(url))
            {
                return Failed($"the link to {what} points outside fhirServer and is not followed (the token is only sent to fhirServer)");
            }

            var answer = await GetAsync(http, server, url, what, budget);
            status = answer.Status ?? status;
            if (fetch.ReadType is not null && answer.Status is 404 or 410)
            {
                return new FetchOutcome(pages, status, null, NotFound: true);
            }

            if (answer.Failure is not null)
            {
                return Failed(answer.Failure);
            }

            var found = new WalkResult();
            var source = $"fhirServer.{fetch.Key}.page[{page}]";
            if (Walk(answer.Json, source, what, found) is { } unreadable)
            {
                return new FetchOutcome(pages, status, unreadable.Why, FailureField: unreadable.Field);
            }

            var expected = fetch.ReadType ?? "Bundle";
            if (found.Type != expected)
            {
                return Failed($"the FHIR server answered {what} with a {found.Type} instead of a {expected}");
            }

            pages.Add(new FetchedPage(answer.Json, found));
            resources += found.Resources.Count;
            if (fetch.ReadType is not null)
            {
                break;
            }

            if (resources > settings.MaxResources)
            {
                return Failed($"has more than {settings.MaxResources} resources (Fhir:MaxResources)");
            }

            url = found.NextLink is { } next ? server.Resolve(next) : null;
        }

        return new FetchOutcome(pages, status, null);

        FetchOutcome Failed(string why) => new(pages, status, why);
    }

    private sealed record Unreadable(string Why, string? Field = null);

    // The answer walked like prefetch; a refusal says what was wrong and where, never a value.
    private Unreadable? Walk(ReadOnlyMemory<byte> json, string source, string what, WalkResult found)
    {
        if (JsonText.Check(json.Span, limits.Value.MaxJsonDepth) is not null)
        {
            return new Unreadable($"the FHIR server's answer to {what} holds text that is not valid UTF-8");
        }

        try
        {
            var reader = new LimitedJsonReader(json.Span, limits.Value);
            reader.Next();
            if (reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
            {
                return new Unreadable($"the FHIR server answered {what} with JSON that is not a FHIR resource");
            }

            walker.Walk(ref reader, json.Span, new ResourcePath(source), found, ResourceBudget.Unlimited);
            return null;
        }
        catch (RequestRefusedException refused)
        {
            return refused.Error.Field == source
                ? new Unreadable($"the FHIR server answered {what} with JSON that is not a FHIR resource")
                : new Unreadable($"the FHIR server sent a resource that cannot be read: {refused.Error.Message}", refused.Error.Field);
        }
        catch (System.Text.Json.JsonException)
        {
            return new Unreadable($"the FHIR server's answer to {what} is not JSON");
        }
    }

    private sealed record Answer(ReadOnlyMemory<byte> Json, int? Status, string? Failure);

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
                return new Answer(default, status, $"the FHIR server answered {status} {ReasonPhrases.GetReasonPhrase(status)} to {what}");
            }

            return new Answer(await response.Content.ReadAsByteArrayAsync(cancel), status, null);
        }
        catch (HttpRequestException failure)
        {
            return new Answer(default, null, $"the FHIR server gave no usable answer to {what} ({Describe(failure)})");
        }
    }

    // The kind of failure only: exception messages are not echoed.
    private static string Describe(HttpRequestException failure) =>
        failure.InnerException is SocketException socket
            ? $"{failure.HttpRequestError}: {socket.SocketErrorCode}"
            : failure.HttpRequestError.ToString();
}
