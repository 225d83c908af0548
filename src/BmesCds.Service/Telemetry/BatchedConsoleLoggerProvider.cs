using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace BmesCds.Service.Telemetry;

/// <summary>
/// The console logger's lines, formatted by the console's own formatter (JSON lines outside Development, with their
/// scopes and options, "Logging:Console:FormatterOptions" included), written in batches by <see cref="LogLineBatch"/>.
/// Known to the logging configuration as "Console", so "Logging:Console:LogLevel" filters it as before. Lines at or above
/// "Logging:Console:LogToStandardErrorThreshold" go to standard error instead, at once, as the console logger sends them.
/// </summary>
[ProviderAlias("Console")]
internal sealed class BatchedConsoleLoggerProvider(ConsoleFormatter formatter, TextWriter output, TextWriter error, LogLevel errorThreshold)
    : ILoggerProvider, ISupportExternalScope
{
    private readonly ConsoleFormatter _formatter = formatter;
    private readonly LogLineBatch _batch = new(output);
    private readonly Lock _errorLock = new();

    // LogLevel.None: no line goes to standard error.
    private readonly LogLevel _errorThreshold = errorThreshold;

    /// <summary>Every line to <paramref name="output"/> (the console logger's default threshold, None).</summary>
    public BatchedConsoleLoggerProvider(ConsoleFormatter formatter, TextWriter output)
        : this(formatter, output, TextWriter.Null, LogLevel.None)
    {
    }

    // The logger factory's, set before the first line (it adds the trace and span ids as a scope).
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ILogger CreateLogger(string categoryName) => new BatchedConsoleLogger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() => _batch.Dispose();

    // Lines for standard error are few (an operator sends warnings or errors there): written by the caller, whole.
    private void WriteToError(ReadOnlySpan<char> line)
    {
        lock (_errorLock)
        {
            try
            {
                error.Write(line);
                error.Flush();
            }
            catch (IOException)
            {
                // Nowhere left to report it.
            }
        }
    }

    private sealed class BatchedConsoleLogger(string category, BatchedConsoleLoggerProvider provider) : ILogger
    {
        // The line is formatted on the caller's thread into a writer of that thread's, as the console logger does.
        [ThreadStatic]
        private static StringWriter? t_line;

        private const int KeptLineChars = 4 * 1024;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        // The levels are filtered by the logger factory's rules ("Logging:LogLevel", "Logging:Console:LogLevel").
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = t_line ??= new StringWriter(new StringBuilder(KeptLineChars), System.Globalization.CultureInfo.InvariantCulture);
            var text = line.GetStringBuilder();
            provider._formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), provider._scopes, line);
            if (text.Length == 0)
            {
                return;
            }

            // A line goes in whole, so that lines of other threads cannot come between its parts. It is one chunk while it
            // fits the builder's kept capacity; a longer one (an exception's stack) is copied out first.
            var chunks = text.GetChunks();
            var first = chunks.MoveNext() ? chunks.Current : default;
            var whole = chunks.MoveNext() ? text.ToString() : first.Span;
            if (logLevel >= provider._errorThreshold && provider._errorThreshold != LogLevel.None)
            {
                provider.WriteToError(whole);
            }
            else
            {
                provider._batch.Add(whole, urgent: logLevel >= LogLevel.Error);
            }

            text.Clear();
            if (text.Capacity > KeptLineChars)
            {
                text.Capacity = KeptLineChars;
            }
        }
    }
}
