using System.Net;
using System.Text.Json;
using BmesCds.CdsHooks.Fhir;
using BmesCds.Service.Http;
using BmesCds.Service.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BmesCds.Service.Tests.Validation;

/// <summary>
/// The composition lines handed to Program.cs (AddFhirValidation + the ready health check), in a real host:
/// /health/ready answers 503 until the validator is warm, then 200.
/// </summary>
public sealed class ValidationHostingTests
{
    // One Strict host for the tests that need a warm validator: the warm-up is paid once.
    private WebApplication _strict = null!;
    private HttpStatusCode _strictReady;

    [OneTimeSetUp]
    public async System.Threading.Tasks.Task StartStrictHost()
    {
        _strict = await StartAsync("Strict");
        using var client = _strict.GetTestClient();
        _strictReady = await PollReadyAsync(client, TimeSpan.FromMinutes(3));
    }

    [OneTimeTearDown]
    public async System.Threading.Tasks.Task StopStrictHost() => await _strict.DisposeAsync();

    [Test]
    public void Ready_once_the_validator_is_warm()
    {
        TestContext.Out.WriteLine($"Service warm-up (every received resource type): {_strict.Services.GetRequiredService<ValidatorReadiness>().WarmUpTime?.TotalMilliseconds:F0} ms");
        Assert.Multiple(() =>
        {
            Assert.That(_strictReady, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_strict.Services.GetRequiredService<ValidatorReadiness>().WarmUpTime, Is.GreaterThan(TimeSpan.Zero));
        });
    }

    [Test]
    public async System.Threading.Tasks.Task With_validation_off_the_service_is_ready_without_warming_up()
    {
        await using var app = await StartAsync("Off");
        using var client = app.GetTestClient();

        var status = await PollReadyAsync(client, TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(app.Services.GetRequiredService<ValidatorReadiness>().WarmUpTime, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [Test]
    public async System.Threading.Tasks.Task Strict_mode_answers_400_with_the_OperationOutcome_for_a_draft_order_with_an_invalid_status()
    {
        using var client = _strict.GetTestClient();
        Assume.That(_strictReady, Is.EqualTo(HttpStatusCode.OK));
        using var body = new StringContent("""
            {"hook":"order-select","context":{"draftOrders":{"resourceType":"Bundle","type":"collection","entry":[{"resource":
              {"resourceType":"ServiceRequest","id":"o1","status":"bogus","intent":"order","subject":{"reference":"Patient/p1"},
               "code":{"coding":[{"system":"http://loinc.org","code":"36487-7"}]}}}]}}}
            """, System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri("/cds-services/validation-probe", UriKind.Relative), body);
        var outcome = new FhirJsonDeserializer().Deserialize<OperationOutcome>(await response.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/fhir+json"));
            Assert.That(outcome.Issue.SelectMany(i => i.Expression), Has.Some.Contains("ServiceRequest.status"));
        });
    }

    [Test]
    public void An_unknown_mode_stops_the_host_at_start() =>
        Assert.That(async () =>
        {
            await using var app = await StartAsync("Sometimes");
        }, Throws.InstanceOf<InvalidOperationException>());

    private static async System.Threading.Tasks.Task<WebApplication> StartAsync(string mode)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Validation:Incoming"] = mode });

        // The lines for Program.cs:
        builder.Services.AddFhirValidation(builder.Configuration);
        var app = builder.Build();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

        // Stands in for the hook endpoint until the lead's pipeline lands: how IncomingValidator is wired.
        app.MapPost("/cds-services/validation-probe", (JsonElement request, IncomingValidator incoming) =>
        {
            var draftOrders = request.GetProperty("context").GetProperty("draftOrders");
            var bundle = LenientFhirReader.Read(draftOrders).Resource!;
            return incoming.Validate([bundle], []) is { } outcome ? new FhirOutcome(StatusCodes.Status400BadRequest, outcome) : Results.Ok();
        });

        await app.StartAsync();
        return app;
    }

    private static async System.Threading.Tasks.Task<HttpStatusCode> PollReadyAsync(HttpClient client, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return response.StatusCode;
            }

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            await System.Threading.Tasks.Task.Delay(100);
        }
    }
}
