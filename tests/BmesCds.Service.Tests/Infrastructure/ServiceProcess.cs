using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// The built service (src/BmesCds.Service/bin/...), run as its own process on Kestrel with loopback port 0, its
/// standard output read line by line. For what an in-process test server cannot show: the console log as an operator
/// sees it, and the addresses Kestrel really listens on.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // A Production process needs a patient key secret for its card ledger; each process records to its own throwaway file.
    private const string LedgerSecret = "service-process-tests-patient-key-secret-0123456789";

    private readonly Process _process;
    private readonly string _ledgerFolder;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private ServiceProcess(Process process, string ledgerFolder)
    {
        _process = process;
        _ledgerFolder = ledgerFolder;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                _stdout.Enqueue(line.Data);
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                _stderr.Enqueue(line.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Every line the service wrote to standard output so far.</summary>
    public IReadOnlyList<string> Lines => [.. _stdout];

    public string Errors => string.Join('\n', _stderr);

    /// <summary>
    /// Starts the service with <paramref name="arguments"/> (configuration as <c>--Key=value</c>) and waits until it
    /// logs "Application started". The environment is Production unless an argument says otherwise.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(params string[] arguments)
    {
        var dll = ServiceDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var ledgerFolder = Directory.CreateTempSubdirectory("bmes-service-process-").FullName;
        if (!arguments.Any(argument => argument.StartsWith("--Ledger:", StringComparison.Ordinal)))
        {
            start.ArgumentList.Add($"--Ledger:SqlitePath={Path.Combine(ledgerFolder, "ledger.db")}");
            start.ArgumentList.Add($"--Ledger:PatientKeySecret={LedgerSecret}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("DOTNET_ENVIRONMENT");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        }
        catch (Win32Exception missing)
        {
            throw new InvalidOperationException($"'dotnet' could not be started: {missing.Message}", missing);
        }

        var service = new ServiceProcess(process, ledgerFolder);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!service.Lines.Any(line => line.Contains("Application started", StringComparison.Ordinal)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var failure = $"The service did not start (exited: {process.HasExited}). Output:\n{string.Join('\n', service.Lines)}\n{service.Errors}";
                service.Dispose();
                Assert.Fail(failure);
            }

            await Task.Delay(50);
        }

        return service;
    }

    /// <summary>The addresses of the "Now listening on" lines (every Kestrel endpoint, with its real port).</summary>
    public IReadOnlyList<Uri> ListeningOn() => JsonLines()
        .Where(line => line.TryGetProperty("State", out var state) && state.TryGetProperty("address", out _)
            && line.GetProperty("Message").GetString()!.StartsWith("Now listening on", StringComparison.Ordinal))
        .Select(line => new Uri(line.GetProperty("State").GetProperty("address").GetString()!))
        .ToList();

    /// <summary>Every line of standard output parsed as JSON; a line that is not JSON fails the test.</summary>
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

    /// <summary>Waits (with a deadline) until a line satisfies <paramref name="condition"/>; the console logger writes from its own thread.</summary>
    public async Task WaitForLineAsync(Func<string, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Lines.Any(condition))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"no log line {what} within 20 s");
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        Directory.Delete(_ledgerFolder, recursive: true);
    }

    // Built with the tests (project reference), in the same configuration as this test assembly.
    private static string ServiceDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // .../bin/<Configuration>/net10.0/
        var dll = Repository.Combine("src", "BmesCds.Service", "bin", configuration, "net10.0", "BmesCds.Service.dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} is missing: build the solution first");
        return dll;
    }
}
