using System.Text.Json;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Responses;
using BmesCds.Service.Http;
using BmesCds.Service.Limits;
using BmesCds.Service.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BmesCds.Service.CdsServices;

/// <summary>
/// The CDS Hooks endpoints: discovery, service calls and feedback. One generic route per interaction; the
/// service id selects the entry of <see cref="CdsServiceCatalogue"/>.
/// </summary>
public static class CdsServicesApi
{
    public static IEndpointRouteBuilder MapCdsServicesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/cds-services").WithTags("CDS Hooks").RequireClientRateLimits(app.ServiceProvider);
        group.MapGet("/", Discover)
            .WithName("Discovery")
            .WithSummary("Lists the CDS services, their hooks and prefetch templates.");
        group.MapPost("/{id}", InvokeAsync)
            .WithName("CallService")
            .WithSummary("Calls a CDS service with a hook request; answers with cards.")
            .Accepts<HookCallBody>("application/json")
            .Produces<CdsResponse>(StatusCodes.Status200OK)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound,
                StatusCodes.Status412PreconditionFailed, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        group.MapPost("/{id}/feedback", FeedbackAsync)
            .WithName("Feedback")
            .WithSummary("Reports what the user did with a card: accepted suggestions or overridden.")
            .Accepts<FeedbackBody>("application/json")
            .Produces<FeedbackReceiver.FeedbackReceipt>(StatusCodes.Status200OK)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    // Error answers are FHIR OperationOutcomes.
    private static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<JsonElement>(status, "application/fhir+json");
        }

        return builder;
    }

    private static JsonHttpResult<DiscoveryResponse> Discover(DiscoveryDocument discovery) =>
        TypedResults.Json(discovery.Response, CdsJson.Options);

    private static async Task<IResult> InvokeAsync(string id, HttpRequest request, HookInvocation invocation, CancellationToken cancel) =>
        CdsServiceCatalogue.Find(id) is { } service
            ? await invocation.InvokeAsync(service, request, cancel)
            : UnknownService(id);

    private static async Task<IResult> FeedbackAsync(string id, HttpRequest request, FeedbackReceiver receiver, CancellationToken cancel) =>
        CdsServiceCatalogue.Find(id) is { } service
            ? await receiver.ReceiveAsync(service, request, cancel)
            : UnknownService(id);

    private static FhirOutcome UnknownService(string id) => FhirOutcome.NotFound(
        $"There is no CDS service '{Sanitize(id)}'. Known services: {string.Join(", ", CdsServiceCatalogue.All.Select(s => s.Id))} (see GET /cds-services).");

    // The id comes from the URL: echo only a short, printable form of it.
    private static string Sanitize(string id) =>
        new(id.Take(64).Where(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.').ToArray());
}
