using System.Globalization;
using System.Net.Http.Headers;

namespace BmesCds.Cli.Verbs;

/// <summary>
/// Calls a secured BmesCds endpoint as a CDS Client would: a fresh token (new jti, <c>aud</c> = the exact URL) for the
/// request it sends, so scripts (`scripts/samples.py replay --key --iss`) can call an instance with Auth:Mode Required,
/// where a token is good for one call only.
/// </summary>
internal sealed class CallVerb : ICliVerb
{
    public string Name => "call";

    public string Summary => "send one request to a secured instance with a freshly minted token";

    public string Usage => $"""
        usage: bmes-cds call URL --key FILE --iss ISSUER [--data FILE] [options]
          URL              the endpoint, e.g. http://127.0.0.1:8080/cds-services/bmes-order-select (also the token's aud)
          --data FILE      JSON body to POST (a hook request or feedback); without it the call is a GET (discovery)
          --timeout SEC    seconds to wait for the answer, 1-600 (default 30)
        {ClientCredentials.OptionsUsage}
        prints the answer's body on stdout and "HTTP <status>" on stderr; redirects are not followed (the token is for
        this URL only); exit 0 for a 2xx answer, 1 for any other answer or no answer, 2 usage error
        """;

    public int Run(CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        var url = ClientCredentials.EndpointUrl(arguments.Argument("URL"), "URL");
        var data = arguments.Optional("data");
        var timeout = arguments.Int("timeout", 30, 1, 600);
        var options = ClientCredentials.Read(arguments);
        arguments.RejectUnread();

        var body = data is null ? null : InputFile.ReadText(data);
        using var credentials = options.Load();
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.MintFor(url.AbsoluteUri, DateTime.UtcNow));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(timeout) };
        try
        {
            using var response = http.Send(request);
            using var reader = new StreamReader(response.Content.ReadAsStream());
            var text = reader.ReadToEnd();
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"));
            stdout.Write(text);
            if (text.Length > 0 && !text.EndsWith('\n'))
            {
                stdout.WriteLine();
            }

            return response.IsSuccessStatusCode ? ExitCodes.Ok : ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new CliFailureException($"no answer from {url.GetLeftPart(UriPartial.Path)}: {ex.Message}");
        }
    }
}
