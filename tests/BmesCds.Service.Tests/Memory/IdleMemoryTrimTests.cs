using System.Net;
using System.Text.Json;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Memory;

/// <summary>
/// The built service on Kestrel: a burst of large calls, then quiet. Kestrel's buffers come from the service's pool
/// (the trim lets go of them) and the trim gives the heap's free memory back.
/// </summary>
public sealed class IdleMemoryTrimTests
{
    private const string TrimmerCategory = "BmesCds.Service.Memory.IdleMemoryTrimmer";

    [Test]
    public async Task After_a_burst_of_large_calls_the_service_lets_go_of_kestrels_buffers_and_its_free_heap()
    {
        using var service = await ServiceProcess.StartAsync("--Auth:Mode=Disabled", "--Memory:IdleTrimSeconds=1", "--Ledger:Store=None");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var url = new Uri(service.BaseUrl, "/cds-services/bmes-order-select");
        var body = LargeRequests.C1With(1000); // 668 KB: 16 at a time keep about 10 MB in Kestrel's blocks

        JsonElement? trim = null;
        for (var burst = 0; burst < 6 && trim is null; burst++)
        {
            // About 200 MB allocated per burst; the trim waits for 256 MB (the start counts) and a quiet second.
            var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
            {
                var answered = new List<HttpStatusCode>();
                for (var call = 0; call < 15; call++)
                {
                    using var content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
                    using var response = await http.PostAsync(url, content);
                    answered.Add(response.StatusCode);
                }

                return answered;
            }));
            Assert.That(statuses.SelectMany(status => status), Is.All.EqualTo(HttpStatusCode.OK));

            if (await Poll.UntilAsync(() => TrimsAfterKestrelBlocks(service).Any(), TimeSpan.FromSeconds(4)))
            {
                trim = TrimsAfterKestrelBlocks(service).Last();
            }
        }

        Assert.That(trim, Is.Not.Null, $"no trim logged that let go of Kestrel's buffers:\n{service.Output}");
        var state = trim!.Value.GetProperty("State");
        Assert.That(state.GetProperty("KestrelBuffersMB").GetDouble(), Is.GreaterThan(1), "Kestrel read the bodies into the service's pool");
        Assert.That(state.GetProperty("CommittedAfterMB").GetDouble(), Is.LessThan(state.GetProperty("CommittedBeforeMB").GetDouble()));
    }

    private static IEnumerable<JsonElement> TrimsAfterKestrelBlocks(ServiceProcess service) =>
        service.JsonLines().Where(line => line.GetProperty("Category").GetString() == TrimmerCategory
            && line.GetProperty("State").GetProperty("KestrelBuffersMB").GetDouble() > 1);
}
