using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// A FHIR server that misbehaves on purpose, on a free loopback port (real Kestrel, real sockets). The first path
/// segment picks the behaviour: <c>{BaseFor("slow-body")}/Condition?...</c> answers a slow body. <c>good</c>
/// answers like a small FHIR server (the Patient asked for, empty searchsets). It counts, per behaviour, the requests,
/// the bytes of body it got to send and the requests whose client went away before the answer was complete.
/// </summary>
public sealed class HostileFhirServer : IAsyncDisposable
{
    public const string PatientGender = "female";

    /// <summary>What the <c>good</c> server answers about the patient: values a log must never show.</summary>
    public const string PatientFamilyName = "Hostile-Server-Family-ZQX";

    public const string PatientBirthDate = "1911-11-11";

    private static readonly byte[] ConditionEntry = Encoding.UTF8.GetBytes(
        """{"resource":{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/x"}}},""");

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _abandoned = new(StringComparer.Ordinal);
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly TcpListener _endless = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private long _endlessBytes;
    private int _endlessAbandoned;

    private HostileFhirServer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>
    /// A server whose answer never ends: plain sockets, so that what it counts is what the kernel took (Kestrel
    /// discards writes to a connection the client closed, and would count them as sent).
    /// </summary>
    public string EndlessBase => $"http://127.0.0.1:{((IPEndPoint)_endless.LocalEndpoint).Port}/fhir";

    /// <summary>Body bytes the endless server got the kernel to take before the client hung up.</summary>
    public long EndlessBytesSent => Interlocked.Read(ref _endlessBytes);

    public int EndlessAbandoned => Volatile.Read(ref _endlessAbandoned);

    /// <summary>Where the <c>redirect</c> behaviour sends the client (same path and query).</summary>
    public string? RedirectTo { get; set; }

    /// <summary>Resources per searchset of the <c>big</c> behaviour (each about 200 bytes).</summary>
    public int BigPageResources { get; set; } = 3000;

    /// <summary>The fhirServer base URL of a behaviour.</summary>
    public string BaseFor(string behaviour) => $"http://127.0.0.1:{Port}/{behaviour}/fhir";

    public long BytesSent(string behaviour) => _bytes.GetValueOrDefault(behaviour);

    public int Requests(string behaviour) => _requests.GetValueOrDefault(behaviour);

    /// <summary>Requests whose client hung up (or was hung up on) before the whole answer was sent.</summary>
    public int Abandoned(string behaviour) => _abandoned.GetValueOrDefault(behaviour);

    /// <summary>Lets every request of the <c>held</c> behaviour answer (like <c>good</c>); later ones answer at once.</summary>
    public void Release() => _held.TrySetResult();

    public void Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<HostileFhirServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new HostileFhirServer(app);
        app.Run(server.AnswerAsync);
        await app.StartAsync();
        server._endless.Start();
        _ = server.ServeEndlessAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var behaviour = segments.FirstOrDefault() ?? "";
        var fhirPath = segments.Skip(2).ToArray(); // after "/{behaviour}/fhir"
        _requests.AddOrUpdate(behaviour, 1, (_, n) => n + 1);
        var aborted = context.RequestAborted;
        try
        {
            await AnswerAsync(context, behaviour, fhirPath, aborted);
        }
        catch (Exception failure) when (failure is OperationCanceledException or IOException || aborted.IsCancellationRequested)
        {
            _abandoned.AddOrUpdate(behaviour, 1, (_, n) => n + 1);
        }
    }

    private async Task AnswerAsync(HttpContext context, string behaviour, string[] fhirPath, CancellationToken aborted)
    {
        var response = context.Response;
        switch (behaviour)
        {
            case "good":
                await Good(context, behaviour, fhirPath, aborted);
                return;
            case "held":
                await _held.Task.WaitAsync(aborted);
                await Good(context, behaviour, fhirPath, aborted);
                return;
            case "slow-headers":
                await Task.Delay(Timeout.Infinite, aborted);
                return;
            case "slow-body":
                response.ContentType = "application/fhir+json";
                await Send(context, behaviour, Encoding.UTF8.GetBytes("""{"resourceType":"Bundle","type":"searchset","entry":["""), aborted);
                while (true)
                {
                    await Task.Delay(50, aborted);
                    await Send(context, behaviour, " "u8.ToArray(), aborted);
                }


            case "announced-huge":
                response.ContentType = "application/fhir+json";
                response.ContentLength = 64L * 1024 * 1024;
                await Send(context, behaviour, Encoding.UTF8.GetBytes("""{"resourceType":"Bundle","type":"searchset","entry":["""), aborted);
                await Task.Delay(Timeout.Infinite, aborted);
                return;
            case "big":
                await Json(context, behaviour, Searchset(Enumerable.Range(0, BigPageResources).Select(i => Condition($"big-{i}"))), aborted);
                return;
            case "invalid":
                response.ContentType = "application/fhir+json";
                await Send(context, behaviour, """{"resourceType":"Bundle", this is not JSON"""u8.ToArray(), aborted);
                return;
            case "deep":
                response.ContentType = "application/fhir+json";
                await Send(context, behaviour, Encoding.ASCII.GetBytes(new string('[', 100_000)), aborted);
                return;
            case "html":
                response.ContentType = "text/html";
                await Send(context, behaviour, "<html><body>Please log in</body></html>"u8.ToArray(), aborted);
                return;
            case "redirect":
                response.StatusCode = StatusCodes.Status302Found;
                response.Headers.Location = $"{RedirectTo}{context.Request.Path}{context.Request.QueryString}";
                return;
            case "self-paging":
                await Json(context, behaviour, Searchset([Condition("self")], next: OwnUrl(context)), aborted);
                return;
            case "paging-forever":
                var page = int.TryParse(context.Request.Query["page"], out var n) ? n : 1;
                var nextUrl = $"http://127.0.0.1:{Port}{context.Request.Path}?page={page + 1}";
                await Json(context, behaviour, Searchset([Condition($"page-{page}")], next: nextUrl), aborted);
                return;
            case "bad-next":
                var bundle = Searchset([Condition("bad-next")]);
                bundle["link"] = new JsonArray(new JsonObject { ["relation"] = "next", ["url"] = 42 });
                await Json(context, behaviour, bundle, aborted);
                return;
            case "wrong-types":
                var odd = Searchset([]);
                odd["entry"] = new JsonArray(new JsonObject { ["search"] = 1, ["resource"] = Condition("odd") });
                await Json(context, behaviour, odd, aborted);
                return;
            case "close":
                context.Abort();
                return;
            case var status when status.StartsWith("status-", StringComparison.Ordinal):
                response.StatusCode = int.Parse(status["status-".Length..], System.Globalization.CultureInfo.InvariantCulture);
                response.ContentType = "application/fhir+json";
                await Send(context, behaviour, """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":"Patient bmes-1 secret detail"}]}"""u8.ToArray(), aborted);
                return;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                return;
        }
    }

    private async Task Good(HttpContext context, string behaviour, string[] fhirPath, CancellationToken aborted)
    {
        var isRead = fhirPath.Length == 2 && context.Request.QueryString.Value is null or "";
        JsonObject body = isRead && fhirPath[0] == "Patient"
            ? new JsonObject
            {
                ["resourceType"] = "Patient",
                ["id"] = fhirPath[1],
                ["name"] = new JsonArray(new JsonObject { ["family"] = PatientFamilyName }),
                ["gender"] = PatientGender,
                ["birthDate"] = PatientBirthDate,
            }
            : Searchset([]);
        await Json(context, behaviour, body, aborted);
    }

    private string OwnUrl(HttpContext context) => $"http://127.0.0.1:{Port}{context.Request.Path}{context.Request.QueryString}";

    private static JsonObject Condition(string id) => new()
    {
        ["resourceType"] = "Condition",
        ["id"] = id,
        ["code"] = new JsonObject { ["text"] = "padding padding padding padding padding padding padding padding padding padding" },
        ["subject"] = new JsonObject { ["reference"] = "Patient/bmes-1" },
    };

    private static JsonObject Searchset(IEnumerable<JsonObject> resources, string? next = null)
    {
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["entry"] = new JsonArray(resources.Select(r => (JsonNode)new JsonObject { ["resource"] = r, ["search"] = new JsonObject { ["mode"] = "match" } }).ToArray()),
        };
        if (next is not null)
        {
            bundle["link"] = new JsonArray(new JsonObject { ["relation"] = "next", ["url"] = next });
        }

        return bundle;
    }

    private Task Json(HttpContext context, string behaviour, JsonObject body, CancellationToken aborted)
    {
        context.Response.ContentType = "application/fhir+json";
        return Send(context, behaviour, Encoding.UTF8.GetBytes(body.ToJsonString()), aborted);
    }

    private async Task Send(HttpContext context, string behaviour, byte[] bytes, CancellationToken aborted)
    {
        // Kestrel's writes after the client is gone complete without error: the loops must ask, and a flush whose
        // reader (the connection) has completed means nobody reads any more.
        aborted.ThrowIfCancellationRequested();
        var flushed = await context.Response.BodyWriter.WriteAsync(bytes, aborted);
        if (flushed.IsCompleted || flushed.IsCanceled)
        {
            throw new IOException("the connection is gone");
        }

        _bytes.AddOrUpdate(behaviour, bytes.Length, (_, total) => total + bytes.Length);
    }

    private async Task ServeEndlessAsync()
    {
        var chunk = Enumerable.Repeat(ConditionEntry, 64 * 1024 / ConditionEntry.Length).SelectMany(b => b).ToArray();
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _endless.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception failure) when (failure is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using var connection = new NetworkStream(client, ownsSocket: true);
                try
                {
                    // The request head; its content does not matter.
                    var head = new byte[16 * 1024];
                    var read = 0;
                    while (!Encoding.ASCII.GetString(head, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var n = await connection.ReadAsync(head.AsMemory(read), _stop.Token);
                        if (n == 0)
                        {
                            return;
                        }

                        read += n;
                    }

                    // No Content-Length: the body runs until the connection closes, which this server never does.
                    await connection.WriteAsync(Encoding.ASCII.GetBytes(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nConnection: close\r\n\r\n{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":["), _stop.Token);
                    while (true)
                    {
                        await connection.WriteAsync(chunk, _stop.Token);
                        Interlocked.Add(ref _endlessBytes, chunk.Length);
                    }
                }
                catch (Exception failure) when (failure is IOException or SocketException or OperationCanceledException)
                {
                    Interlocked.Increment(ref _endlessAbandoned);
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _endless.Stop();
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
