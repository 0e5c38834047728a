namespace AuditGen.InMemory;

/// <summary>
/// A list with one writer at a time and any number of lock-free readers. The writer fills a slot, then publishes
/// the new count; on growth it publishes the larger copy before the count. A reader takes the count, then the
/// array, so the array it gets always holds at least that many published items (which never change).
/// </summary>
internal sealed class AppendOnlyList<T>
{
    private T[] _items;
    private int _count;

    public AppendOnlyList(int capacity = 4) => _items = new T[capacity];

    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds an item. Callers serialize writes (the repository's write lock).</summary>
    public void Add(T item)
    {
        T[] items = _items;
        int count = _count;
        if (count == items.Length)
        {
            var grown = new T[items.Length * 2];
            Array.Copy(items, grown, count);
            grown[count] = item;
            Volatile.Write(ref _items, grown);
        }
        else
        {
            items[count] = item;
        }

        Volatile.Write(ref _count, count + 1);
    }

    /// <summary>The published items, as of now.</summary>
    public ReadOnlySpan<T> Snapshot()
    {
        int count = Volatile.Read(ref _count);
        T[] items = Volatile.Read(ref _items);
        return new ReadOnlySpan<T>(items, 0, count);
    }

    /// <summary>The published items, as of now, as an array segment that later appends do not change.</summary>
    public ArraySegment<T> SnapshotSegment()
    {
        int count = Volatile.Read(ref _count);
        T[] items = Volatile.Read(ref _items);
        return new ArraySegment<T>(items, 0, count);
    }
}
