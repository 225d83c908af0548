using System.Diagnostics;
using StackExchange.Redis;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>redis-server on a loopback port (a free one, or the given one to restart it), in a temp folder, persisting nothing.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private RedisServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
        ConnectionString = $"127.0.0.1:{port}";
    }

    public int Port { get; }

    public string ConnectionString { get; }

    public static async Task<RedisServer> StartAsync(int? port = null)
    {
        var binary = FindOnPath("redis-server");
        if (binary is null)
        {
            Assert.Fail("redis-server is not installed: the Redis replay-cache tests need it. " +
                "Run scripts/test.sh (installs it) or: apt-get update && apt-get install -y redis-server");
        }

        var folder = Directory.CreateTempSubdirectory("bmes-redis-").FullName;
        var chosen = port ?? FreePort();
        var start = new ProcessStartInfo(binary!)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", chosen.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var redis = new RedisServer(process, folder, chosen);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var probe = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",connectTimeout=500");
                await probe.GetDatabase().PingAsync();
                return redis;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    public static int FreePort() => Infrastructure.FreePort.Next();

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
