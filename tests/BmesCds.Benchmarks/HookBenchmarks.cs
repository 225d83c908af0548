using System.Text;
using BenchmarkDotNet.Attributes;
using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Engine;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BmesCds.Benchmarks;

/// <summary>
/// Cost of one hook call: parsing the CDS Hooks request, and the whole call through the real in-process host.
/// The payload is a 2-relevant-in-N request (see <see cref="SyntheticHook"/>).
/// </summary>
[MemoryDiagnoser]
public class HookBenchmarks
{
    private byte[] _body = [];
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;

    [Params(50, 500)]
    public int IrrelevantObservations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes(SyntheticHook.Build(IrrelevantObservations, IrrelevantObservations / 5));
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Auth:Mode", "Disabled");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        _client = _factory.CreateClient();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Benchmark(Description = "parse request (JSON + draft orders)")]
    public HookRequest Parse()
    {
        return BmesCds.Testing.HookRequests.Parse(System.Text.Encoding.UTF8.GetString(_body), HookKind.OrderSelect).Value!;
    }

    [Benchmark(Description = "POST order-select through the host")]
    public async Task<int> CallService()
    {
        using var content = new ByteArrayContent(_body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await _client.PostAsync("/cds-services/bmes-order-select", content);
        return (int)response.StatusCode;
    }
}
