using System.Net;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Validation;

/// <summary>Validation:Incoming through the real host: readiness waits for the warm validator; Strict answers 400.</summary>
public sealed class StrictIncomingValidationTests
{
    private BmesCdsFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _factory = new BmesCdsFactory(new Dictionary<string, string?> { ["Validation:Incoming"] = "Strict" });
        _client = _factory.CreateCheckedClient();
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while ((await _client.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task Strict_mode_rejects_a_draft_service_request_with_an_invalid_status_with_400()
    {
        var request = Requests.OrderSelect();
        request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["status"] = "bogus";

        var response = await _client.PostAsync("/cds-services/bmes-order-select", Json.Body(request));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        var outcome = await Json.ReadAsync(response);
        var expressions = outcome.GetProperty("issue").EnumerateArray()
            .SelectMany(issue => issue.TryGetProperty("expression", out var e) ? e.EnumerateArray().Select(x => x.GetString()) : []);
        Assert.That(expressions, Has.Some.Contains("ServiceRequest.status"));
        Assert.That(_factory.Logs.All, Does.Not.Contain("bogus"), "the offending value is not logged");
    }

    [Test]
    public async Task Strict_mode_accepts_the_sandbox_shaped_request()
    {
        var response = await _client.PostAsync("/cds-services/bmes-order-select", Json.Body(Requests.OrderSelect()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
