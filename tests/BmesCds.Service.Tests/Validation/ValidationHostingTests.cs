using System.Net;
using BmesCds.Service.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
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
    [Test]
    public async System.Threading.Tasks.Task Ready_once_the_validator_is_warm()
    {
        await using var app = await StartAsync("Strict");
        using var client = app.GetTestClient();

        var status = await PollReadyAsync(client, TimeSpan.FromMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(app.Services.GetRequiredService<ValidatorReadiness>().WarmUpTime, Is.GreaterThan(TimeSpan.Zero));
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
