using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// A log provider for long runs: enabled at every level, so that the host's Debug and Trace lines are built and
/// formatted as in a verbose deployment (their code runs on fuzzed values too), but it keeps only counts per level.
/// </summary>
public sealed class LogLevelTally : ILoggerProvider
{
    private readonly ConcurrentDictionary<LogLevel, int> _counts = new();

    public IReadOnlyDictionary<LogLevel, int> Counts => _counts;

    public ILogger CreateLogger(string categoryName) => new Counter(_counts);

    public void Dispose()
    {
    }

    private sealed class Counter(ConcurrentDictionary<LogLevel, int> counts) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            _ = formatter(state, exception);
            counts.AddOrUpdate(logLevel, 1, (_, count) => count + 1);
        }
    }
}
