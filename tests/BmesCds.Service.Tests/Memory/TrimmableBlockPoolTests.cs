using System.Runtime.InteropServices;
using BmesCds.Service.Memory;

namespace BmesCds.Service.Tests.Memory;

/// <summary>Kestrel's buffer pool: 4 KB pinned blocks, reused until the trim lets go of them.</summary>
public sealed class TrimmableBlockPoolTests
{
    [Test]
    public void A_returned_block_is_handed_out_again()
    {
        using var pool = new TrimmableBlockPool();
        var first = pool.Rent();
        var memory = first.Memory;
        first.Dispose();

        using var second = pool.Rent();

        Assert.That(second.Memory.Length, Is.EqualTo(TrimmableBlockPool.BlockSize));
        Assert.That(MemoryMarshal.TryGetArray<byte>(second.Memory, out var again) && MemoryMarshal.TryGetArray<byte>(memory, out var before)
            && ReferenceEquals(again.Array, before.Array), Is.True);
    }

    [Test]
    public void Trimming_lets_go_of_pooled_blocks_but_not_of_blocks_in_use()
    {
        using var pool = new TrimmableBlockPool();
        var blocks = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();
        var inUse = pool.Rent();
        blocks.ForEach(block => block.Dispose());

        Assert.That(pool.PooledBlocks, Is.EqualTo(10));
        Assert.That(pool.Trim(), Is.EqualTo(10));
        Assert.That(pool.PooledBlocks, Is.Zero);

        inUse.Dispose();
        Assert.That(pool.PooledBlocks, Is.EqualTo(1), "a block in use at the trim comes back as usual");
    }

    [Test]
    public void Blocks_are_pinned_so_that_socket_reads_need_no_pinning_of_their_own()
    {
        using var pool = new TrimmableBlockPool();
        using var block = pool.Rent();

        // Memory made over a pinned array pins without a GCHandle: its handle's pointer is the array's first byte.
        using var pin = block.Memory.Pin();
        Assert.That(MemoryMarshal.TryGetArray<byte>(block.Memory, out var segment), Is.True);
        Assert.That(GC.GetGeneration(segment.Array!), Is.EqualTo(GC.MaxGeneration), "the pinned object heap counts as the oldest generation");
    }

    [Test]
    public void A_block_larger_than_the_pools_blocks_is_refused()
    {
        using var pool = new TrimmableBlockPool();

        Assert.That(() => pool.Rent(TrimmableBlockPool.BlockSize + 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(pool.MaxBufferSize, Is.EqualTo(TrimmableBlockPool.BlockSize));
    }

    [Test]
    public void The_factory_trims_every_pool_it_made()
    {
        var factory = new TrimmableBlockPoolFactory();
        using var one = factory.Create();
        using var two = factory.Create();
        one.Rent().Dispose();
        var blocks = new[] { two.Rent(), two.Rent() };
        Array.ForEach(blocks, block => block.Dispose());

        Assert.That(factory.Trim(), Is.EqualTo(3 * TrimmableBlockPool.BlockSize));
        Assert.That(factory.Trim(), Is.Zero, "nothing left after the first trim");
    }
}
