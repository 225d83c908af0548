using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Protocol;

/// <summary>
/// The body is copied out of the request pipe into one pooled buffer when it has arrived, or as it comes once it is
/// larger than RequestBodyReader.HeldByKestrelAtMost: whichever way it arrives, the service reads the same request
/// (ServiceProcessTests does the same over Kestrel's own transport).
/// </summary>
public sealed class RequestBodyTests
{
    private BmesCdsFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _factory = new BmesCdsFactory();
        _client = _factory.CreateCheckedClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [TestCase(250, TestName = "A 123 KB body sent chunked without Content-Length is read whole, as with it")]
    [TestCase(1000, TestName = "A 668 KB body, larger than what waits in the pipe, is read whole, chunked or not")]
    public async Task A_large_body_is_answered_alike_with_and_without_content_length(int resources)
    {
        var body = LargeRequests.C1With(resources);

        var withLength = await CardSummariesAsync(new ByteArrayContent(body));
        var chunked = await CardSummariesAsync(new StreamContent(new TrickleStream(body)), chunked: true);

        Assert.That(withLength, Has.Count.EqualTo(1), "C1's card");
        Assert.That(chunked, Is.EqualTo(withLength));
    }

    private async Task<List<string>> CardSummariesAsync(HttpContent content, bool chunked = false)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var message = new HttpRequestMessage(HttpMethod.Post, "/cds-services/bmes-order-select") { Content = content };
        message.Headers.TransferEncodingChunked = chunked;
        using var response = await _client.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        using var answer = JsonDocument.Parse(text);
        return [.. answer.RootElement.GetProperty("cards").EnumerateArray().Select(card => card.GetProperty("summary").GetString()!)];
    }

    /// <summary>A body that arrives 1,000 bytes per read, as a slow client's would.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1000));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);
    }
}
