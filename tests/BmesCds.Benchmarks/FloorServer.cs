using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BmesCds.Benchmarks;

/// <summary>
/// The HTTP floor for scripts/load.sh: the least an ASP.NET service answering a hook can do. It reads the body into a
/// JsonDocument and writes a fixed card. Run: BmesCds.Benchmarks floor-server --urls http://127.0.0.1:5090
/// </summary>
internal static class FloorServer
{
    private static readonly byte[] Card = """{"cards":[{"uuid":"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0","summary":"Normal left hip X-ray: MRI without contrast is preferred over CT","indicator":"warning","source":{"label":"BMES Decision Support"}}]}"""u8.ToArray();

    public static void Run(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/cds-services/{id}", async (HttpContext context) =>
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Card, context.RequestAborted);
        });
        app.Run();
    }
}

/// <summary>Writes the load-run payloads (C1, and C1 among 250 and 1,000 resources) into a folder.</summary>
internal static class Payloads
{
    public static void Write(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : ".";
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "C1.json"), Testing.LargeRequests.C1());
        File.WriteAllBytes(Path.Combine(folder, "250.json"), Testing.LargeRequests.C1With(250));
        File.WriteAllBytes(Path.Combine(folder, "1000.json"), Testing.LargeRequests.C1With(1000));
    }
}
