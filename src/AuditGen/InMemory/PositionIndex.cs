namespace AuditGen.InMemory;

/// <summary>
/// The positions (sequence - 1) of the records with one key, ascending. It also remembers whether their
/// <see cref="ActivityRecord.OccurredAt"/> never decreases, which lets a time range be found by binary search.
/// </summary>
internal sealed class PositionIndex
{
    private readonly AppendOnlyList<int> _positions = new();
    private DateTimeOffset _lastOccurredAt;
    private volatile bool _timeOrdered = true;

    public int Count => _positions.Count;

    /// <summary>Whether OccurredAt never decreases along the index (read after <see cref="Positions"/>).</summary>
    public bool IsTimeOrdered => _timeOrdered;

    public ReadOnlySpan<int> Positions => _positions.Snapshot();

    /// <summary>Adds a position; callers hold the write lock.</summary>
    public void Add(int position, DateTimeOffset occurredAt)
    {
        if (occurredAt < _lastOccurredAt)
        {
            _timeOrdered = false; // published before the position, through the list's volatile count
        }
        else
        {
            _lastOccurredAt = occurredAt;
        }

        _positions.Add(position);
    }
}
