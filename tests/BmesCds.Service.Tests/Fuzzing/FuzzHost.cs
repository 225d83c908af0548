using BmesCds.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// One real host for a fuzz run, in process, writing replace suggestions one way (<c>Cards:ReplaceAction</c>: the
/// default delete and create, or the one update that reads the draft order through). It keeps its Error and Critical
/// lines and counts the others.
/// </summary>
public sealed class FuzzHost : IDisposable
{
    private readonly BmesCdsFactory _factory;

    public FuzzHost(string replaceAction)
    {
        ReplaceAction = replaceAction;
        _factory = new BmesCdsFactory(
            new Dictionary<string, string?>
            {
                ["Cards:ReplaceAction"] = replaceAction,

                // No seed's fhirServer (loopback) is on this list: a call that needs to fetch is refused (412) before any
                // connection is tried, so the refusal path is fuzzed too and nothing waits on the network.
                ["Fhir:AllowedServers:0"] = "https://fhir-server.invalid/fhir",
                ["Fhir:AllowLoopback"] = "false",

                // Hundreds of thousands of lines on the console would cost more than the calls.
                ["Logging:Console:LogLevel:Default"] = "Warning",
            },
            configureServices: services => services.AddLogging(logging => logging.AddProvider(LogLevels).AddFilter<LogLevelTally>(null, LogLevel.Trace)),
            logsFrom: LogLevel.Error);
        Client = _factory.CreateDefaultClient();
    }

    public string ReplaceAction { get; }

    public HttpClient Client { get; }

    /// <summary>How many lines the host wrote at each level.</summary>
    public LogLevelTally LogLevels { get; } = new();

    /// <summary>The Error and Critical lines since the last <see cref="ClearErrors"/>.</summary>
    public IReadOnlyList<string> Errors => _factory.Logs.Lines;

    public void ClearErrors() => _factory.Logs.Clear();

    public void Dispose()
    {
        Client.Dispose();
        _factory.Dispose();
    }
}
