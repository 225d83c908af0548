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
    public async Task Validation_issues_are_counted_by_severity_type_and_resource_type()
    {
        var request = Requests.OrderSelect();
        request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["status"] = "bogus";
        var before = await MetricsScrape.FromAsync(_client);

        var response = await _client.PostAsync("/cds-services/bmes-order-select", Json.Body(request));
        var after = await MetricsScrape.FromAsync(_client);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var counted = after.Samples.Where(s => s.Name == "bmes_cds_validation_issues_total" && s.Labels["resource_type"] == "ServiceRequest" && s.Labels["severity"] == "error")
            .Select(s => (s.Labels["type"], s.Value - before.Sum(s.Name, ("resource_type", "ServiceRequest"), ("severity", "error"), ("type", s.Labels["type"]))))
            .Where(pair => pair.Item2 > 0)
            .ToList();
        Assert.That(counted, Is.Not.Empty, after.Text);
        Assert.That(counted.Select(pair => pair.Item1), Has.All.Matches<string>(type => type.Length > 0 && type.All(c => char.IsLower(c) || c == '-')),
            "the FHIR issue type code (e.g. code-invalid), never the issue's text");
    }

    [Test]
    public async Task Strict_mode_accepts_the_sandbox_shaped_request()
    {
        var response = await _client.PostAsync("/cds-services/bmes-order-select", Json.Body(Requests.OrderSelect()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
