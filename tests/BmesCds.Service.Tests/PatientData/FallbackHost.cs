using System.Text.Json.Nodes;
using BmesCds.Service.CdsServices;
using BmesCds.Service.PatientData;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BmesCds.Service.Tests.PatientData;

/// <summary>
/// The real host with eyes on the patient-data path: the resources the assembler receives, every log line, and
/// every request sent to a FHIR server (optionally answering some of them itself).
/// </summary>
public sealed class FallbackHost : IDisposable
{
    private readonly BmesCdsFactory _factory;

    public FallbackHost(
        IReadOnlyDictionary<string, string?>? settings = null,
        string environment = "Development",
        Func<HttpRequestMessage, HttpResponseMessage?>? answer = null)
    {
        _factory = new BmesCdsFactory(
            settings,
            configureServices: services =>
            {
                services.AddSingleton<IHookCallObserver>(Records);
                services.AddHttpClient(FhirSearchClient.HttpClientName)
                    .AddHttpMessageHandler(() => new RecordingFhirHandler(FhirRequests, answer));
            },
            environment: environment);
        Client = _factory.CreateCheckedClient();
    }

    public RecordingAssembler Records { get; } = new();

    /// <summary>Every log line of the host, at every level.</summary>
    public LogSink Logs => _factory.Logs;

    public FhirRequestLog FhirRequests { get; } = new();

    public HttpClient Client { get; }

    public Task<HttpResponseMessage> PostAsync(JsonObject request, string service = "bmes-patient-view") =>
        Client.PostAsync($"/cds-services/{service}", Json.Body(request));

    /// <summary>The prefetch keys for which the service logged a fetch.</summary>
    public IReadOnlyList<string> FetchedKeys() => Logs.Lines
        .Where(line => line.Contains("fetched prefetch key", StringComparison.Ordinal))
        .Select(line => line.Split("PrefetchKey=")[1].Split(' ')[0])
        .Order(StringComparer.Ordinal)
        .ToList();

    public void Dispose()
    {
        Client.Dispose();
        _factory.Dispose();
    }
}
