using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;

namespace BmesCds.Service.Memory;

/// <summary>
/// Kestrel's buffers in a pool the service can empty. Kestrel reads every connection's bytes into 4 KB pinned blocks
/// from the pool its <see cref="IMemoryPoolFactory{T}"/> makes, and its own pool keeps each block it ever needed (ASP.NET
/// Core 10 evicts 5 % of an idle pool every 10 s): after 64 connections posting 668 KB bodies that was 43 MB, still
/// held minutes later. This pool hands out the same kind of block (pinned, 4 KB, so that the socket reads need no
/// pinning of their own) and <see cref="Trim"/> lets go of every block not in use, for the <see cref="IdleMemoryTrimmer"/>.
/// </summary>
internal sealed class TrimmableBlockPool : MemoryPool<byte>
{
    public const int BlockSize = 4096;

    private readonly ConcurrentQueue<Block> _pooled = new();
    private volatile bool _disposed;

    public override int MaxBufferSize => BlockSize;

    /// <summary>Blocks waiting in the pool (not in use).</summary>
    public int PooledBlocks => _pooled.Count;

    /// <summary>A block of <see cref="BlockSize"/> bytes; <paramref name="minBufferSize"/> -1 means any size.</summary>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _pooled.TryDequeue(out var block) ? block : new Block(this);
    }

    /// <summary>Lets go of every pooled block (blocks in use come back to the pool as usual); returns how many.</summary>
    public int Trim()
    {
        var dropped = 0;
        while (_pooled.TryDequeue(out _))
        {
            dropped++;
        }

        return dropped;
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        Trim();
    }

    private void Return(Block block)
    {
        if (!_disposed)
        {
            _pooled.Enqueue(block);
        }
    }

    private sealed class Block(TrimmableBlockPool pool) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } =
            MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), 0, BlockSize);

        public void Dispose() => pool.Return(this);
    }
}

/// <summary>Makes Kestrel's memory pools (one per transport) and empties them all on <see cref="Trim"/>.</summary>
internal sealed class TrimmableBlockPoolFactory : IMemoryPoolFactory<byte>
{
    private readonly ConcurrentBag<TrimmableBlockPool> _pools = [];

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        var pool = new TrimmableBlockPool();
        _pools.Add(pool);
        return pool;
    }

    /// <summary>Lets go of every pooled block of every pool made; returns the bytes let go.</summary>
    public long Trim() => _pools.Sum(pool => (long)pool.Trim()) * TrimmableBlockPool.BlockSize;
}
