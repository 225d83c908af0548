using System.Diagnostics;
using BmesCds.Service.Http;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Memory;

/// <summary>
/// Gives memory back to the system once a burst of calls is over (<see cref="IdleTrimPolicy"/>). What a burst leaves
/// behind is held by pools and by the garbage collector, none of which returns it while nothing is allocated: Kestrel's
/// blocks for the bodies that were in flight, the request body buffers, and the free space in the heap (bodies past
/// 85 KB are large objects, which the collector does not compact by itself). At the first idle interval this empties the
/// two pools and runs one blocking, compacting collection that decommits what is free (GCCollectionMode.Aggressive): a
/// few milliseconds, at a moment without calls.
/// </summary>
internal sealed partial class IdleMemoryTrimmer(
    TrimmableBlockPoolFactory kestrelPools,
    IOptions<MemoryOptions> options,
    TimeProvider time,
    ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    private readonly IdleTrimPolicy _policy = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.IdleTrimSeconds;
        if (seconds == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (_policy.ShouldTrim(GC.GetTotalAllocatedBytes()))
                {
                    Trim();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Trim()
    {
        var started = Stopwatch.GetTimestamp();
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var kestrelBytes = kestrelPools.Trim();
        PooledBody.DropPooled();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetGCMemoryInfo().TotalCommittedBytes;
        LogTrimmed(logger, Megabytes(kestrelBytes), Megabytes(before), Megabytes(after), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static double Megabytes(long bytes) => Math.Round(bytes / (1024.0 * 1024.0), 1);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Idle after a burst of calls: let go of {KestrelBuffersMB} MB of Kestrel buffers and the pooled request bodies; committed heap memory went from {CommittedBeforeMB} MB to {CommittedAfterMB} MB in {DurationMs:F1} ms")]
    private static partial void LogTrimmed(ILogger logger, double kestrelBuffersMB, double committedBeforeMB, double committedAfterMB, double durationMs);
}
