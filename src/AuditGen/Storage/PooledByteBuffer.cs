using System.Buffers;

namespace AuditGen.Storage;

/// <summary>
/// A growing byte buffer on arrays rented from <see cref="ArrayPool{T}.Shared"/>: what a record's canonical bytes and its
/// JSON are written into, so that large records (a bulk write's thousand changes) do not leave a trail of large-object-heap
/// arrays behind each append. Dispose returns the array.
/// </summary>
internal sealed class PooledByteBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _count;

    public PooledByteBuffer(int initialCapacity = 512) => _array = ArrayPool<byte>.Shared.Rent(initialCapacity);

    /// <summary>The bytes written so far, writable in place (a length prefix is filled in after what it measures).</summary>
    public Span<byte> Written => _array.AsSpan(0, _count);

    public int Count => _count;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _array.Length - _count)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _count += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_count);
    }

    public void Write(byte value)
    {
        Ensure(1);
        _array[_count++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_array.AsSpan(_count));
        _count += bytes.Length;
    }

    public void Dispose()
    {
        byte[] array = _array;
        _array = [];
        _count = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_array.Length - _count >= needed)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(checked(Math.Max(_array.Length * 2, _count + needed)));
        _array.AsSpan(0, _count).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = larger;
    }
}
