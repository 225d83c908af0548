using System.Text.Json;
using BmesCds.Service.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace BmesCds.Service.Tests.Operations;

/// <summary>
/// Log lines outside Development: the console's JSON lines, written in batches by a thread of their own instead of one
/// wake-up and one write per line. Nothing is lost, nothing is interleaved, errors do not wait.
/// </summary>
public class BatchedConsoleLoggerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Test]
    public void A_line_is_the_console_json_formatters_line_with_its_state_and_scopes()
    {
        var output = new LockedStringWriter();
        using (var factory = JsonLoggerFactory(output))
        {
            var logger = factory.CreateLogger("BmesCds.Example");
            using (logger.BeginScope(new Dictionary<string, object> { ["HookInstance"] = "hook-1" }))
            {
                logger.LogInformation("Hook {HookInstance} answered {Status}", "hook-1", 200);
            }
        }

        var line = JsonDocument.Parse(output.Lines().Single()).RootElement;
        Assert.That(line.GetProperty("Category").GetString(), Is.EqualTo("BmesCds.Example"));
        Assert.That(line.GetProperty("LogLevel").GetString(), Is.EqualTo("Information"));
        Assert.That(line.GetProperty("Message").GetString(), Is.EqualTo("Hook hook-1 answered 200"));
        Assert.That(line.GetProperty("State").GetProperty("Status").GetInt32(), Is.EqualTo(200));
        Assert.That(line.GetProperty("Scopes").EnumerateArray().Select(scope => scope.TryGetProperty("HookInstance", out var id) ? id.GetString() : null),
            Does.Contain("hook-1"));
    }

    [Test]
    public void Logging_Console_LogLevel_settings_still_filter_the_lines()
    {
        var output = new LockedStringWriter();
        using (var factory = JsonLoggerFactory(output, logging => logging.AddConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Console:LogLevel:Noisy"] = "Warning" }).Build())))
        {
            factory.CreateLogger("Noisy.Part").LogInformation("not written");
            factory.CreateLogger("Noisy.Part").LogWarning("written");
            factory.CreateLogger("Quiet.Part").LogInformation("also written");
        }

        Assert.That(output.Lines().Select(line => JsonDocument.Parse(line).RootElement.GetProperty("Message").GetString()),
            Is.EqualTo(new[] { "written", "also written" }));
    }

    [Test]
    public void Lines_at_the_standard_error_threshold_go_to_standard_error()
    {
        var (output, error) = (new LockedStringWriter(), new LockedStringWriter());
        var formatter = JsonFormatter();
        using (var provider = new BatchedConsoleLoggerProvider(formatter, output, error, LogLevel.Warning))
        using (var factory = LoggerFactory.Create(logging => logging.AddProvider(provider)))
        {
            var logger = factory.CreateLogger("BmesCds.Example");
            logger.LogInformation("to standard output");
            logger.LogWarning("to standard error");

            Assert.That(error.Lines().Select(Message), Is.EqualTo(new[] { "to standard error" }), "written at once");
        }

        Assert.That(output.Lines().Select(Message), Is.EqualTo(new[] { "to standard output" }));
    }

    [Test]
    public void A_line_is_written_without_anything_else_happening()
    {
        var output = new LockedStringWriter();
        using var factory = JsonLoggerFactory(output);

        factory.CreateLogger("BmesCds.Example").LogInformation("on its own");

        Assert.That(() => output.Lines(), Has.Count.EqualTo(1).After((int)Patience.TotalMilliseconds, 10), "written within LogLineBatch.Interval");
    }

    [Test]
    public void An_error_is_written_at_once_with_the_lines_before_it()
    {
        var output = new LockedStringWriter();
        using var batch = new LogLineBatch(output, TimeSpan.FromHours(1));

        batch.Add("information\n", urgent: false);
        batch.Add("error\n", urgent: true);

        Assert.That(() => output.Lines(), Is.EqualTo(new[] { "information", "error" }).After((int)Patience.TotalMilliseconds, 10),
            "an hour before the next interval");
    }

    [Test]
    public void Lines_past_the_batch_size_are_written_without_waiting_for_the_interval()
    {
        var output = new LockedStringWriter();
        using var batch = new LogLineBatch(output, TimeSpan.FromHours(1));
        var line = new string('x', 999) + "\n";

        for (var written = 0; written <= LogLineBatch.FlushAtChars; written += line.Length)
        {
            batch.Add(line, urgent: false);
        }

        Assert.That(() => output.Lines().Count, Is.GreaterThan(LogLineBatch.FlushAtChars / line.Length).After((int)Patience.TotalMilliseconds, 10));
    }

    [Test]
    public void Lines_logged_from_many_threads_all_come_out_whole_and_each_threads_in_order()
    {
        const int threads = 4, perThread = 5_000;
        var output = new LockedStringWriter();
        using (var factory = JsonLoggerFactory(output))
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
            {
                var logger = factory.CreateLogger($"Thread{thread}");
                for (var i = 0; i < perThread; i++)
                {
                    logger.LogInformation("{Thread} {Index}", thread, i);
                }
            });
        }

        var lines = output.Lines().Select(line => JsonDocument.Parse(line).RootElement.GetProperty("State")).ToList();
        Assert.That(lines, Has.Count.EqualTo(threads * perThread));
        for (var thread = 0; thread < threads; thread++)
        {
            var indexes = lines.Where(state => state.GetProperty("Thread").GetInt32() == thread).Select(state => state.GetProperty("Index").GetInt32());
            Assert.That(indexes, Is.EqualTo(Enumerable.Range(0, perThread)), $"thread {thread}");
        }
    }

    [Test]
    public void A_line_longer_than_the_kept_buffer_comes_out_whole()
    {
        var output = new LockedStringWriter();
        var text = new string('y', 20_000);
        using (var factory = JsonLoggerFactory(output))
        {
            factory.CreateLogger("Long").LogError(new InvalidOperationException(text), "failed");
        }

        var line = JsonDocument.Parse(output.Lines().Single()).RootElement;
        Assert.That(line.GetProperty("Exception").GetString(), Does.Contain(text));
    }

    [Test]
    public void A_stalled_output_holds_callers_back_and_loses_no_line()
    {
        using var output = new GatedWriter();
        var line = new string('z', 1023) + "\n";
        // Enough for two full batches: the one the writer is stuck in (taken at its first interval) and the one behind it.
        var lines = (2 * LogLineBatch.MaxPendingChars / line.Length) + 1_000;
        using (var batch = new LogLineBatch(output, TimeSpan.FromMilliseconds(1)))
        {
            var logging = Task.Run(() =>
            {
                for (var i = 0; i < lines; i++)
                {
                    batch.Add(line, urgent: false);
                }
            });

            try
            {
                // The writer is stuck in its first write; the lines behind it fill the next batch up to its limit.
                Assert.That(() => batch.PendingChars, Is.GreaterThanOrEqualTo(LogLineBatch.MaxPendingChars - line.Length).After((int)Patience.TotalMilliseconds, 10));
                Assert.That(logging.IsCompleted, Is.False, "the caller waits for the output instead of dropping lines");
                Assert.That(batch.PendingChars, Is.LessThanOrEqualTo(LogLineBatch.MaxPendingChars + line.Length));
            }
            finally
            {
                // Also when an assertion failed: the batch's writer must get out of its write for the batch to be disposed.
                output.Open();
            }

            Assert.That(logging.Wait(Patience), Is.True);
        }

        Assert.That(output.Text.Length, Is.EqualTo(lines * line.Length));
    }

    [Test]
    public void Lines_logged_after_the_batch_is_disposed_are_written_by_the_caller()
    {
        var output = new LockedStringWriter();
        var batch = new LogLineBatch(output, TimeSpan.FromHours(1));
        batch.Add("before\n", urgent: false);
        batch.Dispose();

        batch.Add("after\n", urgent: false);

        Assert.That(output.Lines(), Is.EqualTo(new[] { "before", "after" }));
    }

    // The service's batched console with the console's JSON formatter, as TelemetrySetup builds it. Disposing it writes
    // what is left, as the host's container does at shutdown (a factory does not dispose a provider it was handed).
    private static JsonLogging JsonLoggerFactory(TextWriter output, Action<ILoggingBuilder>? configure = null)
    {
        var provider = new BatchedConsoleLoggerProvider(JsonFormatter(), output);
        var factory = LoggerFactory.Create(logging =>
        {
            logging.AddProvider(provider);
            configure?.Invoke(logging);
        });
        return new JsonLogging(factory, provider);
    }

    private static ConsoleFormatter JsonFormatter()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddJsonConsole(options => options.IncludeScopes = true));
        return services.BuildServiceProvider().GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);
    }

    private static string? Message(string line) => JsonDocument.Parse(line).RootElement.GetProperty("Message").GetString();

    private sealed class JsonLogging(ILoggerFactory factory, BatchedConsoleLoggerProvider provider) : IDisposable
    {
        public ILogger CreateLogger(string category) => factory.CreateLogger(category);

        public void Dispose()
        {
            factory.Dispose();
            provider.Dispose();
        }
    }

    // The batch writes from its own thread while a test reads.
    private sealed class LockedStringWriter : StringWriter
    {
        private readonly Lock _lock = new();

        public override void Write(ReadOnlySpan<char> buffer)
        {
            lock (_lock)
            {
                base.Write(buffer);
            }
        }

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public List<string> Lines()
        {
            lock (_lock)
            {
                return [.. ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
            }
        }
    }

    // An output that blocks every write until opened.
    private sealed class GatedWriter : TextWriter
    {
        private readonly ManualResetEventSlim _open = new(false);
        private readonly System.Text.StringBuilder _text = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public string Text => _text.ToString();

        public void Open() => _open.Set();

        public override void Write(ReadOnlySpan<char> buffer)
        {
            _open.Wait();
            _text.Append(buffer);
        }

        public override void Write(char value) => Write([value]);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _open.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
