using System.Reflection;
using System.Text;

namespace BmesCds.Service.Telemetry;

/// <summary>
/// Standard output that hands each write to the operating system whole, up to <see cref="BufferChars"/>. .NET's own
/// Console.Out flushes every 256 characters, so a JSON log line of about 1 KB (one per hook call) reached the file or pipe
/// in five system calls. The log lines now come in batches (<see cref="LogLineBatch"/>), each written in as few writes as
/// this buffer allows; each write is still flushed at once, so nothing waits in the process.
/// </summary>
public static class WholeLineConsole
{
    /// <summary>Larger than a log line with its scopes (about 1.1 KB for a hook call).</summary>
    public const int BufferChars = 16 * 1024;

    /// <summary>A writer over <paramref name="output"/> that flushes after each write, in one piece.</summary>
    public static TextWriter Over(Stream output) =>
        TextWriter.Synchronized(new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferChars) { AutoFlush = true });

    private static int _installed;

    /// <summary>
    /// Replaces Console.Out, once, in the service's own process: a host that runs the service inside another program (a
    /// test runner capturing output) keeps its writer. Call before the console logger is created: it keeps the
    /// Console.Out it finds.
    /// </summary>
    public static void Install()
    {
        if (Assembly.GetEntryAssembly() == typeof(WholeLineConsole).Assembly && Interlocked.Exchange(ref _installed, 1) == 0)
        {
            Console.SetOut(Over(Console.OpenStandardOutput()));
        }
    }
}
