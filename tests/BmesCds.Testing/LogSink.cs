using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BmesCds.Testing;

/// <summary>
/// Collects every log line of a test host or service collection (level, category, message, state values, exception),
/// to check what is logged and, as much, what is not (tokens, patient data).
/// </summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message, string Line)> _entries = new();

    /// <summary>Each line as "Level Category: message | key=value ... exception".</summary>
    public IReadOnlyList<string> Lines => [.. _entries.Select(entry => entry.Line)];

    /// <summary>Each line's level, category and formatted message.</summary>
    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries =>
        [.. _entries.Select(entry => (entry.Level, entry.Category, entry.Message))];

    public string All => string.Join('\n', Lines);

    public void Clear() => _entries.Clear();

    public ILogger CreateLogger(string categoryName) => new SinkLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class SinkLogger(string category, ConcurrentQueue<(LogLevel, string, string, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(pair => $"{pair.Key}={pair.Value}"))
                : string.Empty;
            entries.Enqueue((logLevel, category, message, $"{logLevel} {category}: {message} | {values} {exception}"));
        }
    }
}
