using System.Diagnostics;
using System.Text;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// The real built service (BmesCds.Service.dll beside the tests), run as its own process on a free loopback port,
/// in the Development environment unless told otherwise. For what an in-memory test host cannot show: signals,
/// Kestrel's own limits and shutdown.
/// </summary>
public sealed class DevelopmentServiceProcess : IDisposable
{
    private const string ListeningPrefix = "Now listening on: ";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DevelopmentServiceProcess(Process process) => _process = process;

    public Uri BaseUrl { get; private set; } = null!;

    public int Id => _process.Id;

    /// <summary>Everything the process wrote (stdout and stderr), for assertions and diagnosis.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<DevelopmentServiceProcess> StartAsync(params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BmesCds.Service.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        var service = new DevelopmentServiceProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (service._output)
            {
                service._output.AppendLine(line);
            }

            var at = line.IndexOf(ListeningPrefix, StringComparison.Ordinal);
            if (at >= 0)
            {
                listening.TrySetResult(new Uri(line[(at + ListeningPrefix.Length)..].Trim()));
            }
        }

        service._process.OutputDataReceived += (_, e) => Collect(e.Data);
        service._process.ErrorDataReceived += (_, e) => Collect(e.Data);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        try
        {
            service.BaseUrl = await listening.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            service.Dispose();
            Assert.Fail($"The service did not listen within {StartTimeout.TotalSeconds} s. Its output:\n{service.Output}");
        }

        return service;
    }

    /// <summary>Sends SIGTERM (the shell's own kill: no procps needed), as a container runtime or systemd does to stop the service.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("/bin/sh", ["-c", $"kill -TERM {_process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}"]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} exited {kill.ExitCode}");
        }
    }

    /// <summary>The exit code, once the process has ended within <paramref name="timeout"/>; null if it has not.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
