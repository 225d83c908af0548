using System.Buffers;
using System.Net.Http.Headers;
using System.Net.Sockets;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.Service.FhirServers;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.PatientData;

/// <summary>
/// The host's <see cref="IFhirFetcher"/>: reads one prefetch template's answer from the EHR's FHIR server, if the
/// calling client is trusted with that server (<see cref="FhirServerPolicy"/>). GET with Accept
/// application/fhir+json and the bearer token when the client gave one, then every `next` page, but only while the
/// link stays under fhirServer (the token is never sent anywhere else), never twice the same page, and within the
/// page, resource and byte caps. Each answer is read as a stream up to Fhir:MaxBytesPerAnswer and charged to the
/// call's Fhir:MaxBytesPerCall; it is kept in one array of its exact size (the found resources point into it), the
/// read buffers going back to the pool at once. Anything about what the server is or sent (unreachable, refused
/// address, HTTP status, not FHIR JSON) reads the same to the caller (<see cref="FhirServerPolicy.Refusal"/>); the
/// reason goes to the log with the hookInstance, never the URL. Plain http only where allowed (Fhir:AllowHttp).
/// </summary>
public sealed partial class FhirSearchClient(
    IHttpClientFactory httpClients,
    FhirJsonWalker walker,
    FhirServerPolicy policy,
    IOptions<FhirFetchOptions> options,
    IOptions<RequestLimits> limits,
    ILogger<FhirSearchClient> logger) : IFhirFetcher
{
    /// <summary>The named HttpClient (see ServiceRegistration: no redirects, no proxy, checked addresses, no request logging).</summary>
    public const string HttpClientName = "fhir-server";

    public async Task<FetchOutcome> FetchAsync(FhirFetch fetch, CancellationToken budget)
    {
        var settings = options.Value;
        var server = new FhirServerEndpoint(fetch.Request.FhirServer!, fetch.Request.FhirAuthorization);
        if (!server.IsHttps && !settings.AllowHttp)
        {
            return new FetchOutcome([], null, $"{fetch.Why}, and fhirServer is plain http, which this deployment does not use (https is required; Fhir:AllowHttp)");
        }

        if (!policy.Permits(fetch.Request))
        {
            return new FetchOutcome([], null, FhirServerPolicy.Refusal(fetch.Template));
        }

        var allowance = FhirCallAllowance.Of(fetch.Request, settings.MaxBytesPerCall);
        var http = httpClients.CreateClient(HttpClientName);
        var pages = new List<FetchedPage>();
        var visited = new HashSet<Uri>();
        var resources = fetch.ResourcesBefore;
        var page = fetch.PagesBefore;
        int? status = null;
        var first = fetch.PagesBefore > 0 ? NextLinks.Resolve(server, fetch.FirstUrl) : server.Resolve(fetch.FirstUrl);
        for (Uri? url = first; url is not null;)
        {
            page++;
            var what = page == 1 ? fetch.Template : $"page {page} of {fetch.Template}";
            if (url == NextLinks.Unusable)
            {
                return Failed($"page {page - 1} of {fetch.Template} has a next link that cannot be followed (no usable URL); the rest was not read");
            }

            if (page > settings.MaxPages)
            {
                return Failed($"has more than {settings.MaxPages} pages (Fhir:MaxPages); {what} was not read");
            }

            if (!server.Owns(url))
            {
                return Failed($"the link to {what} points outside fhirServer and is not followed (the token is only sent to fhirServer)");
            }

            if (!visited.Add(url))
            {
                return Failed($"the link to {what} leads back to a page already read; paging stopped");
            }

            var answer = await GetAsync(http, server, url, settings, allowance, budget);
            status = answer.Status ?? status;
            if (fetch.ReadType is not null && answer.Status is 404 or 410)
            {
                return new FetchOutcome(pages, status, null, NotFound: true);
            }

            if (answer.Problem is { } problem)
            {
                return Failed(Describe(problem, what, settings), answer.Detail);
            }

            var found = new WalkResult();
            var source = $"fhirServer.{fetch.Key}.page[{page}]";
            if (Walk(answer.Json, source, found) is { } unreadable)
            {
                return unreadable.Field is null
                    ? Failed(FhirServerPolicy.Refusal(what), $"answered {what} with {unreadable.Why}")
                    : new FetchOutcome(pages, status, unreadable.Why, FailureField: unreadable.Field);
            }

            var expected = fetch.ReadType ?? "Bundle";
            if (found.Type != expected)
            {
                return Failed(FhirServerPolicy.Refusal(what), $"answered {what} with another resource type instead of a {expected}");
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

            url = found.NextLink is { } next ? NextLinks.Resolve(server, next) : null;
        }

        return new FetchOutcome(pages, status, null);

        FetchOutcome Failed(string why, string? detail = null)
        {
            if (detail is not null)
            {
                LogProblem(logger, fetch.Request.HookInstance, fetch.Key, server.Authority, detail);
            }

            return new(pages, status, why);
        }
    }

    private static string Describe(AnswerProblem problem, string what, FhirFetchOptions settings) => problem switch
    {
        AnswerProblem.TooLarge => $"the answer to {what} is larger than {settings.MaxBytesPerAnswer} bytes (Fhir:MaxBytesPerAnswer); it was not read further",
        AnswerProblem.CallBudgetSpent => $"the FHIR answers of this call went over {settings.MaxBytesPerCall} bytes (Fhir:MaxBytesPerCall) while reading {what}",
        _ => FhirServerPolicy.Refusal(what),
    };

    /// <summary>Why an answer cannot be read: a place inside it (a resource), or, without one, the answer as a whole.</summary>
    private sealed record Unreadable(string Why, string? Field = null);

    // The answer walked like prefetch; a refusal says what was wrong and where, never a value.
    private Unreadable? Walk(ReadOnlyMemory<byte> json, string source, WalkResult found)
    {
        if (JsonText.Check(json.Span, limits.Value.MaxJsonDepth) is not null)
        {
            return new Unreadable("text that is not valid UTF-8 or nests too deep");
        }

        try
        {
            var reader = new LimitedJsonReader(json.Span, limits.Value);
            reader.Next();
            if (reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
            {
                return new Unreadable("JSON that is not a FHIR resource");
            }

            walker.Walk(ref reader, json.Span, new ResourcePath(source), found, ResourceBudget.Unlimited);
            return null;
        }
        catch (RequestRefusedException refused)
        {
            return refused.Error.Field == source
                ? new Unreadable("JSON that is not a FHIR resource")
                : new Unreadable($"the FHIR server sent a resource that cannot be read: {refused.Error.Message}", refused.Error.Field);
        }
        catch (System.Text.Json.JsonException)
        {
            return new Unreadable("a body that is not JSON");
        }
    }

    private enum AnswerProblem
    {
        /// <summary>Anything about the server: unreachable, refused address, HTTP status, not JSON. One text for all.</summary>
        Unusable,
        TooLarge,
        CallBudgetSpent,
    }

    /// <summary>One HTTP answer: its bytes, or the problem and, for the log, what happened.</summary>
    private sealed record Answer(ReadOnlyMemory<byte> Json, int? Status, AnswerProblem? Problem, string? Detail);

    private static async Task<Answer> GetAsync(
        HttpClient http, FhirServerEndpoint server, Uri url, FhirFetchOptions settings, FhirCallAllowance allowance, CancellationToken cancel)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        if (server.Authorization is { } authorization)
        {
            // The request parser has refused tokens with spaces or control characters (400): nothing can end the header.
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", authorization.AccessToken);
        }

        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancel);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                // The server's own text is not read, not even for the log: it may quote patient data.
                var redirect = status is >= 300 and < 400 ? " (redirects are not followed)" : string.Empty;
                return Unusable(status, $"answered {status} {ReasonPhrases.GetReasonPhrase(status)}{redirect}");
            }

            if (response.Content.Headers.ContentType?.MediaType is { } media && !media.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                return Unusable(status, "answered with a Content-Type that is not JSON");
            }

            var announced = response.Content.Headers.ContentLength;
            if (announced > settings.MaxBytesPerAnswer)
            {
                return new Answer(default, status, AnswerProblem.TooLarge, $"announced {announced} bytes");
            }

            if (announced > allowance.BytesLeft)
            {
                return new Answer(default, status, AnswerProblem.CallBudgetSpent, $"announced {announced} bytes");
            }

            await using var body = new CappedReadStream(await response.Content.ReadAsStreamAsync(cancel), settings.MaxBytesPerAnswer, allowance);
            return new Answer(await ReadAllAsync(body, announced, cancel), status, null, null);
        }
        catch (AnswerTooLargeException tooLarge)
        {
            return new Answer(default, null, tooLarge.Cap == AnswerCap.Answer ? AnswerProblem.TooLarge : AnswerProblem.CallBudgetSpent, "sent more than the cap; the connection was dropped");
        }
        catch (HttpRequestException failure)
        {
            return Unusable(null, $"gave no usable answer ({Describe(failure)})");
        }
        catch (IOException failure)
        {
            return Unusable(null, $"broke off its answer ({failure.GetType().Name})");
        }

        static Answer Unusable(int? status, string detail) => new(default, status, AnswerProblem.Unusable, detail);
    }

    /// <summary>
    /// The whole body in one array of its exact size: read straight into it when the length is announced, else in
    /// pooled chunks copied once at the end (the chunks go back to the pool).
    /// </summary>
    private static async Task<byte[]> ReadAllAsync(Stream body, long? announced, CancellationToken cancel)
    {
        if (announced is { } length)
        {
            var exact = new byte[length];
            await body.ReadExactlyAsync(exact, cancel);
            return exact;
        }

        const int ChunkSize = 64 * 1024;
        var chunks = new List<byte[]>();
        var total = 0;
        var last = 0;
        try
        {
            while (true)
            {
                if (chunks.Count == 0 || last == ChunkSize)
                {
                    chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
                    last = 0;
                }

                var read = await body.ReadAsync(chunks[^1].AsMemory(last, ChunkSize - last), cancel);
                if (read == 0)
                {
                    break;
                }

                last += read;
                total += read;
            }

            var all = new byte[total];
            for (var i = 0; i < chunks.Count; i++)
            {
                chunks[i].AsSpan(0, i == chunks.Count - 1 ? last : ChunkSize).CopyTo(all.AsSpan(i * ChunkSize));
            }

            return all;
        }
        finally
        {
            foreach (var chunk in chunks)
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
    }

    // The kind of failure only: exception messages are not echoed (they can hold the URL), except the address
    // check's own, which names the host and the address only.
    private static string Describe(HttpRequestException failure) => failure.InnerException switch
    {
        AddressRefusedException refused => $"address refused: {refused.Message}",
        SocketException socket => $"{failure.HttpRequestError}: {socket.SocketErrorCode}",
        _ => failure.HttpRequestError.ToString(),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Hook {HookInstance} prefetch key {PrefetchKey}: the FHIR server at {FhirServer} {FetchProblem}")]
    private static partial void LogProblem(ILogger logger, string hookInstance, string prefetchKey, string fhirServer, string fetchProblem);
}
