using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BmesCds.Ledger.Reports;
using BmesCds.Service.Ledger;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BmesCds.Service.Tests.Ledger;

/// <summary>
/// A real host with its card ledger (SQLite in a temporary folder, or the PostgreSQL database given), a ledger clock the
/// test moves, a management key, and helpers to post hooks and feedback and read the report.
/// </summary>
public sealed class LedgerHost : IDisposable
{
    public const string ManagementKey = "test-management-key-0123456789abcdefghij";

    public static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web);

    public LedgerHost(string? postgres = null, Dictionary<string, string?>? settings = null, string environment = "Development")
    {
        var all = new Dictionary<string, string?> { ["Management:ApiKeys:0"] = ManagementKey };
        if (postgres is not null)
        {
            all["Ledger:Store"] = "PostgreSql";
            all["Ledger:ConnectionString"] = postgres;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        Factory = new BmesCdsFactory(all, environment: environment, configureServices: services => services.AddSingleton(new LedgerClock(Clock)));
        Client = Factory.CreateCheckedClient();
    }

    public ManualTimeProvider Clock { get; } = new(Start);

    public BmesCdsFactory Factory { get; }

    public HttpClient Client { get; }

    public T Service<T>()
        where T : notnull => Factory.Services.GetRequiredService<T>();

    /// <summary>Posts a hook request; asserts 200 and returns the cards.</summary>
    public async Task<IReadOnlyList<JsonElement>> HookAsync(JsonNode request, string? service = null)
    {
        using var response = await Client.PostAsync($"/cds-services/{service ?? SampleFiles.ServiceFor(request)}", Json.Body(request));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return [.. JsonDocument.Parse(body).RootElement.Clone().GetProperty("cards").EnumerateArray()];
    }

    public async Task<HttpResponseMessage> FeedbackAsync(string service, string json) =>
        await Client.PostAsync($"/cds-services/{service}/feedback", Json.Body(json));

    public async Task OverrideAsync(string service, JsonElement card, string reason = "mri-unavailable")
    {
        var response = await FeedbackAsync(service, Feedback.Overridden(card.GetProperty("uuid").GetString()!, reason));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    public async Task AcceptAsync(string service, JsonElement card)
    {
        var suggestion = card.GetProperty("suggestions")[0].GetProperty("uuid").GetString()!;
        var response = await FeedbackAsync(service, Feedback.Accepted(card.GetProperty("uuid").GetString()!, suggestion));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>Waits until the ledger writer has written (or dropped) everything queued.</summary>
    public async Task DrainAsync()
    {
        var drained = await Service<LedgerQueue>().WaitUntilDrainedAsync(TimeSpan.FromSeconds(30));
        Assert.That(drained, Is.True, "the ledger queue did not drain within 30 s");
    }

    /// <summary>A number the ledger database answers, e.g. a row count.</summary>
    public async Task<long> CountAsync(string sql)
    {
        await using var connection = await Service<BmesCds.Ledger.Storage.LedgerDatabase>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<LedgerReport> ReportAsync(string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/report" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ManagementKey);
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonSerializer.Deserialize<LedgerReport>(body, ReportJson)!;
    }

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
    }
}

/// <summary>Feedback bodies as a CDS client sends them.</summary>
public static class Feedback
{
    public const string ReasonSystem = "https://bmes-cds.org/fhir/CodeSystem/bmes-override-reason";

    public static string Overridden(string card, string reason = "mri-unavailable", string at = "2026-11-28T12:01:00Z") => $$$"""
        {"feedback":[{"card":"{{{card}}}","outcome":"overridden",
          "overrideReason":{"reason":{"code":"{{{reason}}}","system":"{{{ReasonSystem}}}","display":"{{{reason}}}"}},"outcomeTimestamp":"{{{at}}}"}]}
        """;

    public static string Accepted(string card, string suggestion, string at = "2026-11-28T12:01:00Z") => $$"""
        {"feedback":[{"card":"{{card}}","outcome":"accepted","acceptedSuggestions":[{"id":"{{suggestion}}"}],"outcomeTimestamp":"{{at}}"}]}
        """;
}
