using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Docs;

/// <summary>
/// samples/bmes-cds.http, the file editors run: every endpoint of the OpenAPI document has a request in it, and every
/// request in it, sent to the real host as an editor would send it (variables filled, `&lt; file` bodies read), is
/// answered 2xx.
/// </summary>
public sealed partial class HttpFileTests
{
    private static readonly string HttpFile = Repository.Combine("samples", "bmes-cds.http");

    private sealed record HttpFileRequest(string Title, string Method, string Path, IReadOnlyList<(string Name, string Value)> Headers, string? Body);

    /// <summary>The requests of the file: blocks after `###`, `@name = value` variables, bodies inline or `&lt; path`.</summary>
    private static List<HttpFileRequest> Requests()
    {
        var text = File.ReadAllText(HttpFile);
        var blocks = Separator().Split(text);
        var variables = VariableLine().Matches(blocks[0]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
        string Fill(string value) => Variable().Replace(value, m => variables[m.Groups[1].Value]);

        var requests = new List<HttpFileRequest>();
        foreach (var block in blocks.Skip(1))
        {
            var lines = block.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
            var title = lines[0].Trim();
            var at = 1;
            while (at < lines.Count && (lines[at].Trim().Length == 0 || lines[at].TrimStart().StartsWith('#')))
            {
                at++;
            }

            var requestLine = RequestLine().Match(lines[at]);
            Assert.That(requestLine.Success, Is.True, $"'{title}': no request line");
            var headers = new List<(string, string)>();
            for (at++; at < lines.Count && lines[at].Trim().Length > 0; at++)
            {
                var colon = lines[at].IndexOf(':', StringComparison.Ordinal);
                headers.Add((lines[at][..colon].Trim(), Fill(lines[at][(colon + 1)..].Trim())));
            }

            var body = string.Join('\n', lines.Skip(at + 1)).Trim();
            if (body.StartsWith('<'))
            {
                body = File.ReadAllText(Path.Combine(Path.GetDirectoryName(HttpFile)!, body[1..].Trim()));
            }

            var url = new Uri(Fill(requestLine.Groups[2].Value));
            requests.Add(new HttpFileRequest(title, requestLine.Groups[1].Value, url.PathAndQuery, headers, body.Length == 0 ? null : body));
        }

        return requests;
    }

    [Test]
    public async Task Every_endpoint_of_the_openapi_document_has_a_request_in_the_http_file()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();
        var document = await Json.ReadAsync(await client.GetAsync("/openapi/v1.json"));
        var requests = Requests();

        var endpoints = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Method: operation.Name.ToUpperInvariant(), Template: path.Name)))
            .Append((Method: "GET", Template: "/openapi/v1.json"))
            .ToList();
        // Served outside the OpenAPI document (health checks and the Prometheus scrape), and still in the file.
        string[] undocumented = ["GET /health/live", "GET /health/ready", "GET /metrics"];
        var missing = endpoints.Where(endpoint =>
        {
            var pattern = new Regex("^" + Regex.Replace(Regex.Escape(endpoint.Template), @"\\\{[^/]+?}", "[^/]+") + "$");
            return !requests.Any(r => r.Method == endpoint.Method && pattern.IsMatch(r.Path.Split('?')[0]));
        });

        Assert.That(endpoints.Select(e => $"{e.Method} {e.Template}"), Is.SupersetOf(new[]
        {
            "GET /cds-services", "POST /cds-services/{id}", "POST /cds-services/{id}/feedback", "GET /admin/report", "GET /openapi/v1.json",
        }));
        Assert.That(missing.Select(m => $"{m.Method} {m.Template}"), Is.Empty);
        Assert.That(undocumented.Where(endpoint => !requests.Any(r => $"{r.Method} {r.Path.Split('?')[0]}" == endpoint)), Is.Empty);
    }

    [Test]
    public async Task Every_request_of_the_http_file_is_answered_2xx_by_the_real_host()
    {
        // The file's management key is Development's own (appsettings.Development.json), as an editor would send it.
        using var factory = new BmesCdsFactory(new Dictionary<string, string?> { ["Management:ApiKeys:0"] = "development-only-management-key" });
        using var client = factory.CreateCheckedClient();
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while ((await client.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        var answers = new List<string>();
        foreach (var request in Requests())
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
            if (request.Body is { } body)
            {
                message.Content = new StringContent(body, Encoding.UTF8);
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.Headers.Single(h => h.Name == "Content-Type").Value);
            }

            foreach (var (name, value) in request.Headers.Where(h => h.Name != "Content-Type"))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await client.SendAsync(message);
            answers.Add($"{(int)response.StatusCode} {request.Method} {request.Path} ({request.Title})");
        }

        Assert.That(answers, Has.Count.GreaterThanOrEqualTo(11));
        Assert.That(answers.Where(answer => !answer.StartsWith('2')), Is.Empty, string.Join("\n", answers));
    }

    [GeneratedRegex(@"^###", RegexOptions.Multiline)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^@(\w+)\s*=\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex VariableLine();

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^(GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD) (\S+)")]
    private static partial Regex RequestLine();
}
