using System.Diagnostics;
using System.Text;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// A real child process (the built service, a shell script, a python script) with its output collected, run in its own
/// process group (setsid) so that everything it starts, background jobs included, is stopped with it. Waits are
/// conditions with deadlines, never fixed sleeps.
/// </summary>
public sealed class ExternalProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ExternalProcess(Process process) => _process = process;

    /// <summary>The configuration the tests were built in (Release on CI), for `dotnet run --no-build -c ...`.</summary>
    public static string BuildConfiguration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    public static string CliDll => Repository.Combine("src", "BmesCds.Cli", "bin", BuildConfiguration, "net10.0", "bmes-cds.dll");

    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _exited.Task.IsCompleted;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="program"/> in a new session; environment entries with a null value are removed.</summary>
    public static ExternalProcess Start(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("setsid", [program, .. arguments])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };

        // A clean slate: no ASP.NET or Auth settings leak in from the machine running the tests.
        foreach (var name in start.Environment.Keys.Where(IsServiceSetting).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var external = new ExternalProcess(process);
        process.OutputDataReceived += (_, line) => external.Append(external._stdout, line.Data);
        process.ErrorDataReceived += (_, line) => external.Append(external._stderr, line.Data);
        process.Exited += (_, _) => external._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return external;
    }

    /// <summary>Waits for the process to end; fails the test (and stops it) past the deadline.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        if (await Task.WhenAny(_exited.Task, Task.Delay(deadline)) != _exited.Task)
        {
            Stop();
            Assert.Fail($"process did not end within {deadline.TotalSeconds} s.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    /// <summary>Waits until stdout holds a line matching <paramref name="pattern"/>; returns its first group (or the line).</summary>
    public async Task<string> WaitForOutputAsync(System.Text.RegularExpressions.Regex pattern, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            var match = pattern.Match(Stdout);
            if (match.Success)
            {
                return match.Groups.Count > 1 ? match.Groups[1].Value : match.Value;
            }

            if (HasExited)
            {
                break;
            }

            await Task.WhenAny(_exited.Task, Task.Delay(50));
        }

        Stop();
        Assert.Fail($"no output matching {pattern} within {deadline.TotalSeconds} s (exited: {HasExited}).\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        return string.Empty;
    }

    /// <summary>Sends a signal to the whole process group (e.g. INT, the Ctrl-C of a terminal).</summary>
    public void Signal(string signal)
    {
        if (!HasExited)
        {
            using var kill = Process.Start("kill", ["-s", signal, "--", $"-{_process.Id}"]);
            kill.WaitForExit();
        }
    }

    /// <summary>Stops the process group: SIGTERM, then SIGKILL for whatever is left.</summary>
    public void Stop()
    {
        if (HasExited)
        {
            return;
        }

        Signal("TERM");
        if (!_process.WaitForExit(5000))
        {
            Signal("KILL");
            _process.WaitForExit(5000);
        }
    }

    /// <summary>Kills the process group at once (SIGKILL), for a child whose clean shutdown nothing checks.</summary>
    public void Kill()
    {
        Signal("KILL");
        _process.WaitForExit(5000);
    }

    public void Dispose()
    {
        Stop();

        // Background children (a service started with & in a script) may outlive the group leader.
        using var kill = Process.Start("kill", ["-s", "KILL", "--", $"-{_process.Id}"]);
        kill.WaitForExit();
        _process.Dispose();
    }

    private static bool IsServiceSetting(string name) =>
        name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)
        || name.Contains("__", StringComparison.Ordinal);

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
