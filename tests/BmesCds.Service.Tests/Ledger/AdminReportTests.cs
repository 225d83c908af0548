using System.Net;
using System.Net.Http.Headers;
using BmesCds.Service.Tests.Auth;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Ledger;

/// <summary>GET /admin/report: management keys only, never a CDS client's token; the window is checked.</summary>
public sealed class AdminReportTests
{
    private const string BaseUrl = "https://cds.example.org";
    private const string Issuer = "https://ehr.example.com";

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await client.SendAsync(request);
    }

    [Test]
    public async Task The_report_needs_a_management_key()
    {
        using var host = new LedgerHost();

        using var none = await GetAsync(host.Client, "/admin/report", null);
        using var wrong = await GetAsync(host.Client, "/admin/report", LedgerHost.ManagementKey + "x");
        using var right = await GetAsync(host.Client, "/admin/report", LedgerHost.ManagementKey);

        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(none.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer realm=\"management\""));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Management_keys_given_as_one_comma_separated_value_each_open_the_report()
    {
        const string Other = "another-management-key-0123456789abcdefgh";
        using var host = new LedgerHost(settings: new() { ["Management:ApiKeys:0"] = null, ["Management:ApiKeys"] = $"{LedgerHost.ManagementKey}, {Other}" });

        using var first = await GetAsync(host.Client, "/admin/report", LedgerHost.ManagementKey);
        using var second = await GetAsync(host.Client, "/admin/report", Other);

        Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
    }

    [Test]
    public async Task Without_management_keys_every_admin_call_is_refused()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();

        using var response = await GetAsync(client, "/admin/report", "anything-at-all-0123456789abcdefghijkl");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_cds_client_token_opens_the_cds_services_but_never_the_report()
    {
        using var key = TestSigningKey.Ec("ES384");
        using var factory = new BmesCdsFactory(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Required",
            ["Auth:PublicBaseUrl"] = BaseUrl,
            ["Auth:TrustedClients:0:Issuer"] = Issuer,
            ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(key),
            ["Management:ApiKeys:0"] = LedgerHost.ManagementKey,
        });
        using var client = factory.CreateClient();
        string Token(string path) => TokenBuilder.For(key, Issuer, BaseUrl + path, DateTimeOffset.UtcNow).SignWith(key);

        using var discovery = await GetAsync(client, "/cds-services", Token("/cds-services"));
        using var report = await GetAsync(client, "/admin/report", Token("/admin/report"));

        Assert.That(discovery.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the token is a good CDS client token");
        Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("?from=yesterday", "from")]
    [TestCase("?to=2026-13-01", "to")]
    [TestCase("?from=2026-11-02&to=2026-11-01", "to")]
    public async Task A_window_that_cannot_be_read_is_400_naming_the_parameter(string query, string field)
    {
        using var host = new LedgerHost();

        using var response = await GetAsync(host.Client, "/admin/report" + query, LedgerHost.ManagementKey);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Json.ReadOutcomeAsync(response)).Expression, Is.EqualTo(field));
    }

    [Test]
    public async Task The_report_window_takes_dates_and_date_times()
    {
        using var host = new LedgerHost();
        await host.HookAsync(ClinicalRequests.C1());
        await host.DrainAsync();

        var inside = await host.ReportAsync("?from=2026-11-28&to=2026-11-28T12:00:01Z");
        var before = await host.ReportAsync("?to=2026-11-28");

        Assert.That(inside.Total.IssuedLive, Is.EqualTo(1));
        Assert.That(inside.From, Is.EqualTo(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(before.Total.IssuedLive, Is.Zero);
    }

    [Test]
    public async Task The_report_is_in_the_openapi_document_with_its_answers()
    {
        using var host = new LedgerHost();

        var document = await Json.ReadAsync(await host.Client.GetAsync("/openapi/v1.json"));

        var responses = document.GetProperty("paths").GetProperty("/admin/report").GetProperty("get").GetProperty("responses");
        Assert.That(responses.EnumerateObject().Select(r => r.Name), Is.SupersetOf(new[] { "200", "400", "401" }));
    }
}
