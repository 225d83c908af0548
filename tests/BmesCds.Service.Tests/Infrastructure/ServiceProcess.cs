using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// The built service (src/BmesCds.Service/bin/...) as an operator runs it: its own process on Kestrel, on loopback port 0
/// unless an argument names --urls. For what an in-memory test host cannot show: the console log as it is written
/// (JSON lines in Production, the simple format in Development), the addresses Kestrel really listens on, signals,
/// Kestrel's own limits, start-up failures. Each process records to its own throwaway card ledger unless the caller
/// configures one.
/// </summary>
public sealed partial class ServiceProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // Production needs a patient key secret for its card ledger.
    private const string LedgerSecret = "service-process-tests-patient-key-secret-0123456789";

    private readonly ExternalProcess _process;
    private readonly string _ledgerFolder;

    private ServiceProcess(ExternalProcess process, string ledgerFolder)
    {
        _process = process;
        _ledgerFolder = ledgerFolder;
    }

    /// <summary>The service as built next to its project (with its appsettings and fhir-profiles).</summary>
    public static string ServiceDll => Repository.Combine("src", "BmesCds.Service", "bin", ExternalProcess.BuildConfiguration, "net10.0", "BmesCds.Service.dll");

    public string Stdout => _process.Stdout;

    public string Stderr => _process.Stderr;

    /// <summary>Everything the process wrote (stdout, then stderr), for assertions and diagnosis.</summary>
    public string Output => Stdout + Stderr;

    /// <summary>Every line the service wrote to standard output so far.</summary>
    public IReadOnlyList<string> Lines => Stdout.Split('\n')[..^1]; // each line ends with '\n': the last piece is empty

    /// <summary>The one address the service listens on (it has a single Kestrel endpoint).</summary>
    public Uri BaseUrl => ListeningOn().Single();

    /// <summary>
    /// Starts the service in <paramref name="environment"/> without waiting, for a start that is meant to fail; settings as
    /// environment <paramref name="variables"/> (<c>Auth__Mode</c>) or <paramref name="arguments"/> (<c>--Auth:Mode=Disabled</c>).
    /// </summary>
    public static ServiceProcess Start(string environment, IReadOnlyDictionary<string, string?> variables, params string[] arguments)
    {
        var ledgerFolder = Directory.CreateTempSubdirectory("bmes-service-process-").FullName;
        var configuresLedger = arguments.Any(argument => argument.StartsWith("--Ledger:", StringComparison.Ordinal))
            || variables.Keys.Any(name => name.StartsWith("Ledger__", StringComparison.Ordinal));
        string[] ledger = configuresLedger
            ? []
            : [$"--Ledger:SqlitePath={Path.Combine(ledgerFolder, "ledger.db")}", $"--Ledger:PatientKeySecret={LedgerSecret}"];
        var environmentVariables = new Dictionary<string, string?>(variables) { ["ASPNETCORE_ENVIRONMENT"] = environment };
        if (environment == Environments.Development)
        {
            // The format a developer reads, with its level prefixes (dbug:, fail:); Production writes JSON lines.
            environmentVariables["Logging__Console__FormatterName"] = "simple";
        }

        // Later arguments win: a caller's --urls replaces port 0.
        var process = ExternalProcess.Start(
            "dotnet", [ServiceDll, "--urls", "http://127.0.0.1:0", .. ledger, .. arguments], Path.GetDirectoryName(ServiceDll)!, environmentVariables);
        return new ServiceProcess(process, ledgerFolder);
    }

    /// <summary>Starts the service in Production, configured by <paramref name="arguments"/>, and waits until it has started.</summary>
    public static Task<ServiceProcess> StartAsync(params string[] arguments) => StartedAsync(Start(Environments.Production, new Dictionary<string, string?>(), arguments));

    /// <summary>Starts the service in Development, configured by <paramref name="arguments"/>, and waits until it has started.</summary>
    public static Task<ServiceProcess> StartDevelopmentAsync(params string[] arguments) => StartedAsync(Start(Environments.Development, new Dictionary<string, string?>(), arguments));

    /// <summary>Waits until the host logs "Application started": every endpoint listens; fails the test (and stops it) past the deadline.</summary>
    public async Task WaitUntilStartedAsync() => await _process.WaitForOutputAsync(ApplicationStarted(), StartTimeout);

    /// <summary>Waits until /health/ready answers 200 (the validator warms up in the background after the start).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan deadline)
    {
        await WaitUntilStartedAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until && !_process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not answering yet
            }

            await Task.Delay(100);
        }

        _process.Stop();
        Assert.Fail($"the service was not ready within {deadline.TotalSeconds} s (exited: {_process.HasExited}).\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
    }

    /// <summary>The addresses of the "Now listening on" lines (every Kestrel endpoint, with its real port).</summary>
    public IReadOnlyList<Uri> ListeningOn() => NowListeningOn().Matches(Stdout).Select(match => new Uri(match.Groups[1].Value)).ToList();

    /// <summary>Every line of standard output parsed as JSON (Production); a line that is not JSON fails the test.</summary>
    public IReadOnlyList<JsonElement> JsonLines() => Lines.Select(line =>
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException failure)
        {
            Assert.Fail($"A log line is not JSON ({failure.Message}): {line}");
            throw;
        }
    }).ToList();

    /// <summary>Sends SIGTERM, as a container runtime or systemd does to stop the service.</summary>
    public void Terminate() => _process.Signal("TERM");

    /// <summary>The exit code once the process has ended; fails the test (and stops it) past the deadline.</summary>
    public Task<int> WaitForExitAsync(TimeSpan deadline) => _process.WaitForExitAsync(deadline);

    public void Dispose()
    {
        _process.Kill();
        _process.Dispose();
        Directory.Delete(_ledgerFolder, recursive: true);
    }

    private static async Task<ServiceProcess> StartedAsync(ServiceProcess service)
    {
        try
        {
            await service.WaitUntilStartedAsync();
            return service;
        }
        catch
        {
            service.Dispose(); // the failed assertion goes on; the process and its ledger folder do not outlive it
            throw;
        }
    }

    [GeneratedRegex("Application started")]
    private static partial Regex ApplicationStarted();

    // The message of Microsoft.Hosting.Lifetime, alike in the JSON and the simple console formats.
    [GeneratedRegex(@"Now listening on: (http://[0-9.:\[\]a-z]+)")]
    private static partial Regex NowListeningOn();
}
