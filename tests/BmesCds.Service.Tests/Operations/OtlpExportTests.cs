using System.Collections.Concurrent;
using System.Net;
using System.Text;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace BmesCds.Service.Tests.Operations;

/// <summary>
/// OTEL_EXPORTER_OTLP_ENDPOINT switches on the OTLP export of traces and metrics: a real Kestrel endpoint on loopback
/// stands in for the collector and receives the OTLP/HTTP protobuf posts. Without it, no span is recorded.
/// </summary>
public sealed class OtlpExportTests
{
    [Test]
    public void Without_an_otlp_endpoint_no_span_is_recorded()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();

        Assert.That(factory.Services.GetService<TracerProvider>(), Is.Null);
    }

    [Test]
    public async Task With_an_otlp_endpoint_the_hook_span_and_the_metrics_reach_the_collector()
    {
        await using var collector = await Collector.StartAsync();
        var request = Requests.OrderSelect();
        using (var factory = new BmesCdsFactory(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }))
        {
            using var client = factory.CreateClient();
            using var response = await client.PostAsync("/cds-services/bmes-order-select", Json.Body(request));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // Stopping the host flushed both exporters.
        Assert.Multiple(() =>
        {
            Assert.That(collector.Received("/v1/traces"), Does.Contain("bmes_cds.hook").And.Contain((string)request["hookInstance"]!));
            Assert.That(collector.Received("/v1/metrics"), Does.Contain("bmes_cds.hook.duration").And.Contain("bmes_cds.silences"));
        });
    }

    /// <summary>Accepts OTLP/HTTP posts and keeps their bodies (protobuf: the strings are readable as UTF-8).</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _posts = new();

        private Collector(WebApplication app) => _app = app;

        public string Address { get; private set; } = "";

        public string Received(string path) =>
            string.Join('\n', _posts.Where(post => post.Path == path).Select(post => Encoding.UTF8.GetString(post.Body)));

        public static async Task<Collector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var collector = new Collector(app);
            app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                collector._posts.Enqueue((context.Request.Path.Value!, body.ToArray()));
                context.Response.ContentType = "application/x-protobuf";
            });
            await app.StartAsync();
            collector.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return collector;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
