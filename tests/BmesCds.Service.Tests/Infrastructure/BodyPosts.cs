using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>Posts a request body to order-select however it is framed, and reads the answer's card summaries.</summary>
public static class BodyPosts
{
    /// <summary>The summaries of the cards answered (uuids are new in every answer); asserts a 200.</summary>
    public static async Task<List<string>> CardSummariesAsync(HttpClient client, Uri url, HttpContent content, bool chunked)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        message.Headers.TransferEncodingChunked = chunked;
        using var response = await client.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        using var answer = JsonDocument.Parse(text);
        return [.. answer.RootElement.GetProperty("cards").EnumerateArray().Select(card => card.GetProperty("summary").GetString()!)];
    }
}
