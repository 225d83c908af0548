using System.Diagnostics;
using BmesCds.Service.CdsServices;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BmesCds.Service.Telemetry;

/// <summary>
/// Metrics, traces and logs (README "Operations"). Metrics: the service's meter, ASP.NET Core's and HttpClient's,
/// exported for Prometheus at /metrics (see Management) and by OTLP when OTEL_EXPORTER_OTLP_ENDPOINT (or
/// ..._METRICS_ENDPOINT) is set. Traces: recorded only when there is somewhere to send them, OTEL_EXPORTER_OTLP_ENDPOINT
/// (or ..._TRACES_ENDPOINT): an unexported span would only cost time. Logs: JSON lines outside Development, with a UTC
/// timestamp and the trace, span and hookInstance scopes.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>The service name in exported telemetry; OTEL_SERVICE_NAME overrides it.</summary>
    public const string ServiceName = "bmes-cds";

    /// <summary>The response header carrying the server span's W3C trace context (Trace Context Level 2).</summary>
    public const string TraceResponseHeader = "traceresponse";

    /// <summary>The same value under the request header's name, which most tools and the issue tracker look for.</summary>
    public const string TraceParentHeader = "traceparent";

    public static WebApplicationBuilder AddBmesTelemetry(this WebApplicationBuilder builder)
    {
        ConfigureLogging(builder);

        var configuration = builder.Configuration;
        builder.Services.AddBmesMetrics();
        builder.Services.AddSingleton<IHookCallObserver, HookMetricsObserver>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? ServiceName))
            .WithMetrics(metrics =>
            {
                // No cached scrape: a scrape shows every call made before it, and scrapers come every 15-60 s anyway.
                ConfigureMetrics(metrics).AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (OtlpConfigured(configuration, "METRICS"))
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (OtlpConfigured(configuration, "TRACES"))
        {
            telemetry.WithTracing(tracing => ConfigureTracing(tracing).AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>The meters exported: the service's own, ASP.NET Core's (requests, Kestrel, rate limiting) and HttpClient's.</summary>
    public static MeterProviderBuilder ConfigureMetrics(MeterProviderBuilder metrics) =>
        metrics.AddMeter(BmesMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation();

    /// <summary>
    /// The spans recorded: the service's (hook call, FHIR fetches, evaluation), ASP.NET Core's request spans (which
    /// continue the caller's traceparent) and HttpClient's. Probes and scrapes are not traced. The FHIR server URL is cut
    /// to its origin in client spans: its path and query hold the patient id.
    /// </summary>
    public static TracerProviderBuilder ConfigureTracing(TracerProviderBuilder tracing) =>
        tracing.AddSource(BmesActivitySource.Name)
            .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbeOrScrape(context.Request.Path))
            .AddHttpClientInstrumentation(options => options.EnrichWithHttpRequestMessage = (activity, request) =>
            {
                if (request.RequestUri is { } url)
                {
                    activity.SetTag("url.full", url.GetLeftPart(UriPartial.Authority));
                }
            });

    /// <summary>
    /// Every answer carries the server span's trace context as <c>traceresponse</c> and <c>traceparent</c>
    /// (00-traceId-spanId-flags), so that a caller can find the logs and traces of its call; when it sent a traceparent,
    /// the trace id is its own. Registered first so that even an error answer carries them.
    /// </summary>
    public static IApplicationBuilder UseTraceResponseHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // OnStarting survives the exception handler's Response.Clear(), so a 500 carries the headers too.
            context.Response.OnStarting(AddTraceHeaders, context);
            return next(context);
        });

    private static Task AddTraceHeaders(object state)
    {
        var context = (HttpContext)state;
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id })
        {
            context.Response.Headers[TraceResponseHeader] = id;
            context.Response.Headers[TraceParentHeader] = id;
        }

        return Task.CompletedTask;
    }

    private static void ConfigureLogging(WebApplicationBuilder builder)
    {
        // Every log line carries the trace and span of the request it belongs to (also in Development, as a scope).
        builder.Logging.Configure(options =>
            options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (builder.Environment.IsDevelopment())
        {
            return;
        }

        // JSON lines, formatted by the console's JSON formatter and written in batches (see LogLineBatch) to the
        // Console.Out of the moment: the service's standard output in large writes (WholeLineConsole), a test runner's
        // writer when the service runs inside one.
        WholeLineConsole.Install();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";
        });
        UseBatchedConsole(builder.Services);
    }

    // The console logger's provider gives way to BatchedConsoleLoggerProvider, which uses the formatter it would have used.
    private static void UseBatchedConsole(IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(ILoggerProvider) && services[i].ImplementationType == typeof(ConsoleLoggerProvider))
            {
                services.RemoveAt(i);
            }
        }

        services.AddSingleton<ILoggerProvider>(provider =>
        {
            var options = provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
            var name = options.FormatterName ?? ConsoleFormatterNames.Json;
            var formatter = provider.GetServices<ConsoleFormatter>().FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException($"There is no console log formatter named '{name}' (setting Logging:Console:FormatterName).");
            return new BatchedConsoleLoggerProvider(formatter, Console.Out, Console.Error, options.LogToStandardErrorThreshold);
        });
    }

    private static bool OtlpConfigured(ConfigurationManager configuration, string signal) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
        || !string.IsNullOrWhiteSpace(configuration[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]);

    private static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);
}
