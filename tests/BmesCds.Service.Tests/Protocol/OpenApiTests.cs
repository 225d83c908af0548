using System.Net;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BmesCds.Service.Tests.Protocol;

public sealed class OpenApiTests
{
    [Test]
    public async Task The_openapi_document_lists_every_endpoint_the_host_serves()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();

        var document = await Json.ReadAsync(await client.GetAsync("/openapi/v1.json"));

        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet();
        var served = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => !endpoint.RoutePattern.RawText!.StartsWith("/openapi", StringComparison.Ordinal))
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(method => $"{method} /{endpoint.RoutePattern.RawText!.Trim('/')}"))
            .ToHashSet();
        Assert.That(served, Is.Not.Empty);
        Assert.That(served, Is.SubsetOf(documented), $"documented: {string.Join(", ", documented)}");
    }

    [Test]
    public async Task The_service_call_documents_its_error_answers()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();

        var document = await Json.ReadAsync(await client.GetAsync("/openapi/v1.json"));

        var responses = document.GetProperty("paths").GetProperty("/cds-services/{id}").GetProperty("post").GetProperty("responses");
        Assert.That(responses.EnumerateObject().Select(r => r.Name), Is.SupersetOf(new[] { "200", "400", "404", "412", "413", "415" }));
    }

    [Test]
    public async Task The_openapi_document_is_served()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/openapi/v1.json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
