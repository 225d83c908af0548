using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Json;
using BmesCds.Service.Http;
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
        var group = app.MapGroup("/cds-services");
        group.MapGet("/", Discover);
        group.MapPost("/{id}", InvokeAsync);
        group.MapPost("/{id}/feedback", FeedbackAsync);
        return app;
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
