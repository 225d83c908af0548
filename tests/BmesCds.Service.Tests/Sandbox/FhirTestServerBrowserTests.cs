using System.Net;
using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Sandbox;

/// <summary>
/// The FHIR test server as a browser client (the CDS Hooks sandbox) meets it: CORS for any origin, preflights answered
/// before the bearer check, and the /fhir/R4 base of the sandbox captures served beside /fhir. One real server,
/// started with REQUIRE_BEARER so that the preflight and refusal paths are the ones a secured server would take.
/// </summary>
public sealed class FhirTestServerBrowserTests
{
    private const string Token = "browser-test-token";
    private const string Origin = "https://sandbox.cds-hooks.org";

    private FhirTestServer _server = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await FhirTestServer.StartAsync(new Dictionary<string, string> { ["REQUIRE_BEARER"] = Token });
        await _server.LoadAsync([(JsonObject)JsonNode.Parse("""{"resourceType":"Patient","id":"browser-1","gender":"female"}""")!]);
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _http?.Dispose();
        _server?.Dispose();
    }

    private HttpRequestMessage Get(string url, bool withToken = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Origin", Origin);
        if (withToken)
        {
            request.Headers.Authorization = new("Bearer", Token);
        }

        return request;
    }

    [Test]
    public async Task A_preflight_from_any_origin_is_answered_204_without_a_token_and_allows_the_headers_asked_for()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"{_server.Base}/Patient");
        preflight.Headers.Add("Origin", Origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        preflight.Headers.Add("Access-Control-Request-Private-Network", "true");

        using var response = await _http.SendAsync(preflight);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "*" }));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), Does.Contain("POST").And.Contain("GET"));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")), Does.Contain("authorization").IgnoreCase);
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Private-Network"), Is.EqualTo(new[] { "true" }));
    }

    [Test]
    public async Task Every_answer_carries_the_cors_header_even_a_refusal()
    {
        using var refused = await _http.SendAsync(Get($"{_server.Base}/metadata", withToken: false));
        using var read = await _http.SendAsync(Get($"{_server.Base}/Patient/browser-1"));

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(refused.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "*" }));
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(read.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "*" }));
        Assert.That(string.Join(",", read.Headers.GetValues("Access-Control-Expose-Headers")), Does.Contain("ETag"));
    }

    [Test]
    public async Task The_sandbox_captures_base_fhir_R4_serves_the_same_data_with_its_own_urls()
    {
        var r4 = _server.Base + "/R4";

        using var read = await _http.SendAsync(Get($"{r4}/Patient/browser-1"));
        using var search = await _http.SendAsync(Get($"{r4}/Patient?_id=browser-1&_count=1"));
        using var metadata = await _http.SendAsync(Get($"{r4}/metadata"));

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)JsonNode.Parse(await read.Content.ReadAsStringAsync())!["gender"], Is.EqualTo("female"));
        var bundle = JsonNode.Parse(await search.Content.ReadAsStringAsync())!;
        Assert.That((string?)bundle["entry"]![0]!["fullUrl"], Is.EqualTo($"{r4}/Patient/browser-1"));
        Assert.That(bundle["link"]!.AsArray().Select(link => (string)link!["url"]!), Has.All.StartWith(r4 + "/"));
        Assert.That((string?)JsonNode.Parse(await metadata.Content.ReadAsStringAsync())!["implementation"]!["url"], Is.EqualTo(r4));
    }

    [Test]
    public async Task A_path_outside_both_bases_is_404_naming_them()
    {
        using var response = await _http.SendAsync(Get($"{_server.BaseUrl.GetLeftPart(UriPartial.Authority)}/baseR4/metadata"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("/fhir/R4 or /fhir"));
    }
}
