using System.Globalization;
using System.Text.Json;
using BmesCds.CdsHooks.Explanation;
using BmesCds.Service.Auth;
using BmesCds.Service.Hosting;
using BmesCds.Service.Http;
using BmesCds.Service.Management;
using BmesCds.Service.OpenApi;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Cors;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.IntegrationConsole;

/// <summary>
/// The integration console (README "Console"): GET /console, a page and its script and style served from the assembly
/// (no build step, nothing from elsewhere), GET /console/samples and POST /console/evaluate. Off unless
/// <c>Console:Enabled</c> (default: on in Development only): then nothing is mapped and every path is 404. The data
/// endpoints need a management key where <see cref="ConsoleAccess.KeyRequired"/> says so; the page and its assets carry
/// no data and need none (a browser cannot send a bearer key when it opens a page: the page asks for the key). With
/// Management:Urls set, all of /console answers on the management addresses only (ManagementAuthentication's guard).
/// </summary>
public static class ConsoleApi
{
    public const string PathPrefix = "/console";

    public static IServiceCollection AddIntegrationConsole(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // Read now: whether the console is there decides what is registered and mapped.
        var enabled = configuration.BindNow<ConsoleOptions>(ConsoleOptions.Section, _ => null).Enabled ?? environment.IsDevelopment();
        services.AddSingleton(provider =>
        {
            var authenticated = provider.GetService<IOptions<CdsClientAuthOptions>>()?.Value.Mode == CdsClientAuthMode.Required;
            return new ConsoleAccess(enabled, KeyRequired: authenticated || !environment.IsDevelopment());
        });
        if (enabled)
        {
            services.AddSingleton<ConsoleSamples>();
            services.AddSingleton<ConsoleEvaluation>();
        }

        return services;
    }

    public static IEndpointRouteBuilder MapIntegrationConsole(this IEndpointRouteBuilder app)
    {
        var access = app.ServiceProvider.GetRequiredService<ConsoleAccess>();
        if (!access.Enabled)
        {
            return app;
        }

        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleApi).FullName!);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation(
                "Integration console at {ConsolePath} ({KeyRule})", PathPrefix, access.KeyRequired ? "its data endpoints need a management key" : "open: Development without client authentication");
        }

        // Same-origin only: no browser page elsewhere may call the console, whatever Cors:AllowedOrigins admits.
        var group = app.MapGroup(PathPrefix).WithTags("Console").WithMetadata(new DisableCorsAttribute());
        group.MapGet("/", () => ConsoleAssets.Page())
            .WithName("Console")
            .WithSummary("The integration console: pick a sample or paste a hook request, send it, see the cards and why.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html");
        group.MapGet("/assets/{file}", (string file) => ConsoleAssets.Asset(file))
            .WithName("ConsoleAsset")
            .WithSummary("The console's script (console.js) and style sheet (console.css).")
            .Produces(StatusCodes.Status200OK, contentType: "text/javascript")
            .Produces<JsonElement>(StatusCodes.Status404NotFound, "application/fhir+json");

        var data = group.MapGroup(string.Empty);
        if (access.KeyRequired)
        {
            data.RequireAuthorization(ManagementAuthentication.PolicyName);
        }

        data.MapGet("/samples", (ConsoleSamples samples) => Results.Bytes(samples.Json, "application/json"))
            .WithName("ConsoleSamples")
            .WithSummary("The sample requests of samples/cases (id, title, hook, note, request body) and the instant they are written for. "
                + "Needs Authorization: Bearer <management key> unless the service runs in Development without client authentication.")
            .Produces<ConsoleSampleList>(StatusCodes.Status200OK)
            .Produces<JsonElement>(StatusCodes.Status401Unauthorized, "application/fhir+json");
        data.MapPost("/evaluate", EvaluateAsync)
            .WithName("ConsoleEvaluate")
            .WithSummary("Runs a hook request through the service's pipeline (the service of its hook) and answers with the status the service "
                + "call would get, its response (cards, or the OperationOutcome) and the explanation: findings per joint, every rule's verdict, "
                + "prefetch keys, timings. Query now: ISO 8601 instant to evaluate at (default: the service's clock). Not recorded in the card "
                + "ledger. Needs Authorization: Bearer <management key> unless the service runs in Development without client authentication.")
            .Accepts<HookCallBody>("application/json")
            .Produces<ExplainedAnswer>(StatusCodes.Status200OK)
            .Produces<ExplainedAnswer>(StatusCodes.Status400BadRequest)
            .Produces<ExplainedAnswer>(StatusCodes.Status412PreconditionFailed)
            .Produces<JsonElement>(StatusCodes.Status401Unauthorized, "application/fhir+json")
            .Produces<JsonElement>(StatusCodes.Status413PayloadTooLarge, "application/fhir+json")
            .Produces<JsonElement>(StatusCodes.Status415UnsupportedMediaType, "application/fhir+json");
        return app;
    }

    private static async Task<IResult> EvaluateAsync(string? now, HttpRequest request, ConsoleEvaluation evaluation, CancellationToken cancel)
    {
        DateTimeOffset? at = null;
        if (now is not null)
        {
            if (!DateTimeOffset.TryParse(now, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return FhirOutcome.Create(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid,
                    "now: must be an ISO 8601 date-time, e.g. 2026-11-28T12:00:00Z", "now");
            }

            at = parsed;
        }

        return await evaluation.EvaluateAsync(request, at, cancel);
    }
}
