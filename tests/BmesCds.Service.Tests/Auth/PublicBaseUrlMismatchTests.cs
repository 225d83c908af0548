using System.Net;
using System.Net.Http.Headers;
using BmesCds.Service.Auth;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Auth;

/// <summary>
/// The sandbox opened with localhost while Auth:PublicBaseUrl says 127.0.0.1 (or the other way round): the signed token's
/// aud is the URL the browser called, so the call is refused, and the browser shows only the 401. The log says why,
/// naming both URLs and the setting to change.
/// </summary>
public sealed class PublicBaseUrlMismatchTests
{
    private const string Issuer = "https://ehr.example.com";
    private const string Path = "/cds-services/bmes-order-select";

    [Test]
    public async Task A_token_for_localhost_at_an_instance_configured_for_127_0_0_1_is_refused_with_a_warning_naming_both_and_the_fix()
    {
        using var key = TestSigningKey.Ec("ES384");
        using var factory = new BmesCdsFactory(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Required",
            ["Auth:PublicBaseUrl"] = "http://127.0.0.1:8191",
            ["Auth:TrustedClients:0:Issuer"] = Issuer,
            ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(key),
        });
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json.Body(Requests.OrderSelect()) };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Bearer", TokenBuilder.For(key, Issuer, "http://localhost:8191" + Path, DateTimeOffset.UtcNow).SignWith(key));

        var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var warning = factory.Logs.Lines.SingleOrDefault(line => line.Contains("Auth:PublicBaseUrl is", StringComparison.Ordinal));
        Assert.That(warning, Does.StartWith("Warning"));
        Assert.That(warning, Does.Contain("Auth:PublicBaseUrl is http://127.0.0.1:8191 but the client signed its token for http://localhost:8191" + Path));
        Assert.That(warning, Does.Contain("set Auth:PublicBaseUrl=http://localhost:8191"));
        Assert.That(warning, Does.Contain("localhost, 127.0.0.1 and [::1] are different URLs"));
    }

    [Test]
    public void A_token_for_another_endpoint_of_the_same_base_is_no_base_url_mismatch()
    {
        Assert.That(PublicBaseUrlMismatch.Explain("http://127.0.0.1:8191", Path, ["http://127.0.0.1:8191/cds-services/bmes-patient-view"]), Is.Null);
        Assert.That(PublicBaseUrlMismatch.Explain("http://127.0.0.1:8191", Path, ["http://127.0.0.1:8191" + Path + "/"]), Is.Null);
    }

    [Test]
    public void A_base_behind_a_proxy_path_is_named_with_its_prefix_and_without_the_loopback_hint()
    {
        var explanation = PublicBaseUrlMismatch.Explain("https://cds.example.org/bmes", Path, ["https://cds-internal.example.org/bmes" + Path]);

        Assert.That(explanation, Does.Contain("set Auth:PublicBaseUrl=https://cds-internal.example.org/bmes,"));
        Assert.That(explanation, Does.Not.Contain("localhost"));
    }
}
