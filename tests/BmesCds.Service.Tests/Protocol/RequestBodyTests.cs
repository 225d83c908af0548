using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Protocol;

/// <summary>
/// The body is copied out of the request pipe into one pooled buffer when it has arrived, or as it comes once it is
/// larger than RequestBodyReader.HeldByKestrelAtMost: whichever way it arrives, the service reads the same request
/// (ServiceProcessTests does the same over Kestrel's own transport).
/// </summary>
public sealed class RequestBodyTests
{
    private static readonly Uri OrderSelect = new("/cds-services/bmes-order-select", UriKind.Relative);

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

        var withLength = await BodyPosts.CardSummariesAsync(_client, OrderSelect, new ByteArrayContent(body), chunked: false);
        var chunked = await BodyPosts.CardSummariesAsync(_client, OrderSelect, new StreamContent(new TrickleStream(body, 1000)), chunked: true);

        Assert.That(withLength, Has.Count.EqualTo(1), "C1's card");
        Assert.That(chunked, Is.EqualTo(withLength));
    }
}
