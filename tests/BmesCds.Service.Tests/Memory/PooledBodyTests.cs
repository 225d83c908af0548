using System.Runtime.InteropServices;
using BmesCds.Service.Http;

namespace BmesCds.Service.Tests.Memory;

/// <summary>The request body buffers are pooled until the idle trim lets go of them.</summary>
public sealed class PooledBodyTests
{
    // An announced length no other test's body has, so that the pool's bucket is this test's alone.
    private const long Announced = 3_000_001;

    [Test]
    public void A_body_reuses_a_pooled_buffer_until_the_trim_drops_the_pool()
    {
        var first = Buffer(out var firstBody);
        firstBody.Dispose();
        var again = Buffer(out var againBody);
        againBody.Dispose();

        PooledBody.DropPooled();
        var afterTrim = Buffer(out var afterTrimBody);
        afterTrimBody.Dispose();

        Assert.That(again, Is.SameAs(first), "pooled");
        Assert.That(afterTrim, Is.Not.SameAs(first), "the trim let go of the pooled buffer");
    }

    private static byte[] Buffer(out PooledBody body)
    {
        body = new PooledBody(Announced, arrived: Announced);
        Assert.That(MemoryMarshal.TryGetArray(body.Memory, out var segment), Is.True);
        return segment.Array!;
    }
}
