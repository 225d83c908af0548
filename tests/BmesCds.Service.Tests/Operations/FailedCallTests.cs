using System.Net;
using BmesCds.Clinical.Engine;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BmesCds.Service.Tests.Operations;

/// <summary>A call that fails inside the service (here: an engine that throws, standing in for any defect) is still
/// measured, as a 500, and its answer still carries the trace context to find it by.</summary>
public sealed class FailedCallTests
{
    [Test]
    public async Task A_call_that_fails_with_500_is_counted_with_its_status_and_carries_its_trace_context()
    {
        using var factory = new BmesCdsFactory(configureServices: services =>
        {
            services.RemoveAll<ICdsEngine>();
            services.AddSingleton<ICdsEngine, BrokenEngine>();
        });
        using var client = factory.CreateClient();
        var before = await MetricsScrape.FromAsync(client);

        using var response = await client.PostAsync("/cds-services/bmes-order-select", Json.Body(Requests.OrderSelect()));
        var after = await MetricsScrape.FromAsync(client);

        var labels = new[] { ("service", "bmes-order-select"), ("status", "500") };
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(after.Sum("bmes_cds_hook_duration_seconds_count", labels) - before.Sum("bmes_cds_hook_duration_seconds_count", labels), Is.EqualTo(1));
            Assert.That(response.Headers.GetValues("traceresponse").Single(), Does.Match("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$"));
        });
    }

    private sealed class BrokenEngine : ICdsEngine
    {
        public IReadOnlyList<CardDraft> Evaluate(EvaluationRequest request) => throw new InvalidOperationException("engine defect");

        public Evaluation Judge(EvaluationRequest request) => throw new InvalidOperationException("engine defect");
    }
}
