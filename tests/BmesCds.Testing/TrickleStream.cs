namespace BmesCds.Testing;

/// <summary>A request body that arrives a few bytes per read, each read after a yield, as a slow client's would.</summary>
public sealed class TrickleStream(byte[] bytes, int bytesPerRead) : MemoryStream(bytes)
{
    public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, bytesPerRead));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await base.ReadAsync(buffer[..Math.Min(buffer.Length, bytesPerRead)], cancellationToken);
    }
}
