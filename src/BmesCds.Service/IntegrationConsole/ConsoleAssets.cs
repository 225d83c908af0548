using System.Collections.Frozen;
using BmesCds.Service.Http;

namespace BmesCds.Service.IntegrationConsole;

/// <summary>
/// The console's page, script and style sheet, embedded in the assembly (IntegrationConsole/Assets): plain files,
/// served as they are written. The page's Content-Security-Policy admits only these files from this origin and calls
/// to it: no inline script, no other host, no frame around it.
/// </summary>
internal static class ConsoleAssets
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, (byte[] Content, string Type)> Files = new Dictionary<string, (byte[], string)>
    {
        ["console.html"] = (Read("console.html"), "text/html; charset=utf-8"),
        ["console.js"] = (Read("console.js"), "text/javascript; charset=utf-8"),
        ["console.css"] = (Read("console.css"), "text/css; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IResult Page() => new Served(Files["console.html"].Content, Files["console.html"].Type, ContentSecurityPolicy);

    public static IResult Asset(string file) =>
        file != "console.html" && Files.TryGetValue(file, out var asset)
            ? new Served(asset.Content, asset.Type, null)
            : FhirOutcome.NotFound("The console has console.js and console.css only.");

    private static byte[] Read(string name)
    {
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream($"console-assets/{name}")
            ?? throw new InvalidOperationException($"console-assets/{name} is not embedded in the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed class Served(byte[] content, string type, string? policy) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            headers.CacheControl = "no-cache";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (policy is not null)
            {
                headers.ContentSecurityPolicy = policy;
                headers.XFrameOptions = "DENY";
            }

            httpContext.Response.ContentType = type;
            httpContext.Response.ContentLength = content.Length;
            return httpContext.Response.Body.WriteAsync(content, httpContext.RequestAborted).AsTask();
        }
    }
}
