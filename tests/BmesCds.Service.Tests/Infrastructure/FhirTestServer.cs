using System.ComponentModel;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// The real FHIR R4 test server (tests/fhir-server: Medplum's router in memory on Node), one process per instance,
/// on a free loopback port. Behaviour switches (REQUIRE_BEARER, DELAY_MS, PAGE_SIZE, FAIL_PATHS) are its environment.
/// </summary>
public sealed class FhirTestServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private const string ListeningPrefix = "FHIR server listening on ";

    private readonly Process _process;
    private readonly StringBuilder _stderr;
    // Idle connections are dropped before node's 5 s keep-alive ends, so a reused one is never reset under us.
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1) });

    private FhirTestServer(Process process, StringBuilder stderr, Uri baseUrl)
    {
        _process = process;
        _stderr = stderr;
        BaseUrl = baseUrl;
    }

    /// <summary>e.g. http://127.0.0.1:41234/fhir (no trailing slash, as EHRs send fhirServer).</summary>
    public Uri BaseUrl { get; }

    public string Base => BaseUrl.AbsoluteUri.TrimEnd('/');

    /// <summary>
    /// A URL captured against another instance (e.g. the sandbox captures' http://127.0.0.1:8190/fhir/R4), moved to
    /// this server: scheme, host and port replaced, the path kept. The server answers under /fhir and /fhir/R4.
    /// </summary>
    public string OnThisServer(string capturedUrl)
    {
        var captured = new Uri(capturedUrl);
        return new UriBuilder(captured) { Scheme = BaseUrl.Scheme, Host = BaseUrl.Host, Port = BaseUrl.Port }.Uri.AbsoluteUri.TrimEnd('/');
    }

    /// <summary>A base URL on which nobody listens: "the server is down".</summary>
    public static string Unreachable()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/fhir";
    }

    public static async Task<FhirTestServer> StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var folder = Repository.Combine("tests", "fhir-server");
        var start = new ProcessStartInfo("node", ["server.mjs"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PORT"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (Win32Exception missing)
        {
            throw new InvalidOperationException(
                $"The FHIR test server needs Node.js 20+ on PATH ('node' could not be started: {missing.Message}); then run `npm ci` in {folder}.",
                missing);
        }

        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, line) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(line.Data);
            }
        };
        process.BeginErrorReadLine();

        var firstLine = process.StandardOutput.ReadLineAsync();
        var finished = await Task.WhenAny(firstLine, Task.Delay(StartTimeout));
        var line = finished == firstLine ? await firstLine : null;
        if (line is null || !line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
        {
            Stop(process);
            string log;
            lock (stderr)
            {
                log = stderr.ToString();
            }

            Assert.Fail($"The FHIR test server did not start within {StartTimeout.TotalSeconds} s " +
                $"(first stdout line: {line ?? "none"}). Is `npm ci` done in {folder}? Its stderr:\n{log}");
        }

        var server = new FhirTestServer(process, stderr, new Uri(line![ListeningPrefix.Length..].Trim()));
        if (environment?.TryGetValue("REQUIRE_BEARER", out var token) == true)
        {
            server._http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return server;
    }

    /// <summary>The server's stderr: one line per request answered (for diagnosing a failing test).</summary>
    public string Log
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public async Task ResetAsync()
    {
        var response = await _http.PostAsync($"{Base}/$reset", null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Stores resources with PUT Type/id in one transaction (ids kept, so prefetch and server agree).</summary>
    public async Task LoadAsync(IEnumerable<JsonObject> resources)
    {
        var transaction = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray(resources.Select(resource => (JsonNode)new JsonObject
            {
                ["resource"] = resource.DeepClone(),
                ["request"] = new JsonObject
                {
                    ["method"] = "PUT",
                    ["url"] = $"{resource["resourceType"]}/{resource["id"] ?? throw new ArgumentException("a resource to load needs an id")}",
                },
            }).ToArray()),
        };
        using var content = new StringContent(transaction.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/fhir+json"));
        var response = await _http.PostAsync(Base, content);
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        Stop(_process);
        _process.Dispose();
        _http.Dispose();
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
    }
}
