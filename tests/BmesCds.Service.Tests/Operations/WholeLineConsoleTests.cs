using System.Text;
using BmesCds.Service.Telemetry;

namespace BmesCds.Service.Tests.Operations;

/// <summary>Log lines reach standard output in one write each, not in the runtime's 256-character pieces.</summary>
public class WholeLineConsoleTests
{
    [Test]
    public void A_log_line_of_several_kilobytes_is_one_write_of_all_its_bytes()
    {
        var output = new WriteCountingStream();
        var writer = WholeLineConsole.Over(output);
        var line = "{\"Message\":\"" + new string('x', 3000) + "\u00e9\"}" + "\n";

        writer.Write(line);

        Assert.That(output.Writes, Has.Count.EqualTo(1));
        Assert.That(Encoding.UTF8.GetString(output.Writes[0]), Is.EqualTo(line));
    }

    [Test]
    public void Each_line_is_handed_over_at_once_not_held_for_the_next()
    {
        var output = new WriteCountingStream();
        var writer = WholeLineConsole.Over(output);

        writer.Write("first\n");
        var afterFirst = output.Writes.Count;
        writer.Write("second\n");

        Assert.That(afterFirst, Is.EqualTo(1));
        Assert.That(output.Writes.Select(Encoding.UTF8.GetString), Is.EqualTo(new[] { "first\n", "second\n" }));
    }

    [Test]
    public void The_runtime_writer_splits_such_a_line_which_is_why_this_exists()
    {
        // The runtime's Console.Out flushes every 256 characters (StreamWriter with AutoFlush and Console's buffer).
        var output = new WriteCountingStream();
        var runtimeLike = TextWriter.Synchronized(new StreamWriter(output, new UTF8Encoding(false), 256) { AutoFlush = true });

        runtimeLike.Write(new string('x', 1100));

        Assert.That(output.Writes, Has.Count.GreaterThan(1));
    }

    [Test]
    public void A_host_that_runs_the_service_inside_itself_keeps_its_console()
    {
        var before = Console.Out;

        WholeLineConsole.Install();

        Assert.That(Console.Out, Is.SameAs(before), "the test runner's writer, which captures the tests' output");
    }

    private sealed class WriteCountingStream : Stream
    {
        public List<byte[]> Writes { get; } = [];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Writes.Add(buffer[offset..(offset + count)]);

        public override void Write(ReadOnlySpan<byte> buffer) => Writes.Add(buffer.ToArray());

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
