using System.Buffers;

namespace BmesCds.Service.Telemetry;

/// <summary>
/// Log lines gathered and written together by one thread of their own: every <see cref="Interval"/>, at once when a
/// line is an error or the lines waiting pass <see cref="FlushAtChars"/>, and all of them when disposed. A call adds its
/// line and goes on: nobody is woken for it. (The console logger wakes its thread for every line and writes each alone,
/// which cost a hook call about 100 us of CPU under load, a quarter of the call; docs/benchmarks.md, "Logging".)
/// If the output stalls, a caller waits once <see cref="MaxPendingChars"/> are waiting: lines are never dropped.
/// </summary>
internal sealed class LogLineBatch : IDisposable
{
    /// <summary>How long a line waits, at most, before it is written (an error is written at once).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Lines waiting past this size are written without waiting for the interval.</summary>
    public const int FlushAtChars = 128 * 1024;

    /// <summary>Past this, callers wait for the writer (a stalled output holds back the service, as the console logger's queue does).</summary>
    public const int MaxPendingChars = 4 * 1024 * 1024;

    // How long shutting down waits for a write in progress.
    private static readonly TimeSpan StopWaitAtMost = TimeSpan.FromSeconds(2);

    // A buffer that grew past this while a burst was written is let go rather than kept for the next.
    private const int KeptBufferChars = 256 * 1024;

    private readonly TextWriter _output;
    private readonly TimeSpan _interval;
    private readonly Lock _pendingLock = new();
    private readonly Lock _writeLock = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _writer;
    private ArrayBufferWriter<char> _pending = new(FlushAtChars);
    private ArrayBufferWriter<char> _writing = new(FlushAtChars);
    private bool _wakeRequested;
    private volatile bool _disposed;

    public LogLineBatch(TextWriter output)
        : this(output, Interval)
    {
    }

    /// <summary>A batch written every <paramref name="interval"/> (tests use a long one, to see what is written without it).</summary>
    internal LogLineBatch(TextWriter output, TimeSpan interval)
    {
        _output = output;
        _interval = interval;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "Log line writer" };
        _writer.Start();
    }

    /// <summary>The characters of the lines waiting to be written (tests).</summary>
    internal int PendingChars
    {
        get
        {
            lock (_pendingLock)
            {
                return _pending.WrittenCount;
            }
        }
    }

    /// <summary>Adds one or more whole lines. <paramref name="urgent"/>: written now (errors), not at the next interval.</summary>
    public void Add(ReadOnlySpan<char> lines, bool urgent)
    {
        if (_disposed)
        {
            // Lines logged while the host shuts down, after the writer has stopped: written by the caller.
            lock (_writeLock)
            {
                Write(lines);
            }

            return;
        }

        while (!TryAdd(lines, urgent))
        {
            // The output stalls: wait for the writer to take what is waiting (it was woken), rather than drop the line.
            Thread.Sleep(1);
        }

        if (_disposed)
        {
            // Disposed while this line was added: its last write may have come before it.
            WritePending();
        }
    }

    private bool TryAdd(ReadOnlySpan<char> lines, bool urgent)
    {
        bool added, wake;
        lock (_pendingLock)
        {
            added = _pending.WrittenCount < MaxPendingChars || _disposed;
            if (added)
            {
                lines.CopyTo(_pending.GetSpan(lines.Length));
                _pending.Advance(lines.Length);
            }

            wake = (!added || urgent || _pending.WrittenCount >= FlushAtChars) && RequestWake();
        }

        if (wake)
        {
            Wake();
        }

        return added;
    }

    // Under _pendingLock: whether this caller is the one to signal the writer (once per batch, not once per line).
    private bool RequestWake()
    {
        if (_wakeRequested)
        {
            return false;
        }

        _wakeRequested = true;
        return true;
    }

    private void Wake()
    {
        try
        {
            _wake.Set();
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: Add writes the line itself.
        }
    }

    private void WriteLoop()
    {
        while (!_disposed)
        {
            _wake.WaitOne(_interval);
            WritePending();
        }
    }

    /// <summary>Writes every line added so far (the writer thread, and Dispose for the last ones).</summary>
    private void WritePending()
    {
        lock (_writeLock)
        {
            lock (_pendingLock)
            {
                (_pending, _writing) = (_writing, _pending);
                _wakeRequested = false;
            }

            if (_writing.WrittenCount == 0)
            {
                return;
            }

            Write(_writing.WrittenSpan);
            _writing = _writing.Capacity > KeptBufferChars ? new ArrayBufferWriter<char>(FlushAtChars) : Reset(_writing);
        }
    }

    private static ArrayBufferWriter<char> Reset(ArrayBufferWriter<char> buffer)
    {
        buffer.ResetWrittenCount();
        return buffer;
    }

    // Under _writeLock. A failing output (a closed pipe) loses the lines of this write, and the service goes on.
    private void Write(ReadOnlySpan<char> lines)
    {
        try
        {
            _output.Write(lines);
            _output.Flush();
        }
        catch (IOException)
        {
            // Nowhere left to report it.
        }
        catch (ObjectDisposedException)
        {
            // The output was closed as the process ends.
        }
    }

    /// <summary>Stops the writer thread and writes what is left.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _wake.Set();
        if (_writer.Join(StopWaitAtMost))
        {
            WritePending();
        }

        // Otherwise the output is stuck (a pipe nobody reads): the process ends without the last lines rather than hang.
        _wake.Dispose();
    }
}
