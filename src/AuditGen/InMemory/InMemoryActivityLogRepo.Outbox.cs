using AuditGen.Storage;

namespace AuditGen;

/// <summary>The in-memory log as its own outbox (<see cref="IActivityLogOutbox"/>), for tests of relays and their consumers.</summary>
public sealed partial class InMemoryActivityLogRepo
{
    private readonly Dictionary<string, (long Sequence, string? Holder, DateTimeOffset Until)> _relays = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ActivityRecord>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        IReadOnlyList<ActivityRecord> records = Records; // a snapshot: position i holds sequence i + 1
        var page = new List<ActivityRecord>(Math.Min(limit, 256));
        for (long i = sequence; i < records.Count && page.Count < limit; i++)
        {
            page.Add(records[(int)i]);
        }

        return ValueTask.FromResult<IReadOnlyList<ActivityRecord>>(page);
    }

    /// <inheritdoc/>
    public ValueTask<long> LastSequenceAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult((long)Records.Count);

    /// <inheritdoc/>
    public ValueTask<long?> TryLeaseAsync(string relay, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relay);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        DateTimeOffset now = _clock.GetUtcNow();
        lock (_relays)
        {
            (long sequence, string? current, DateTimeOffset until) = _relays.GetValueOrDefault(relay);
            if (current is not null && current != holder && until >= now)
            {
                return ValueTask.FromResult<long?>(null);
            }

            _relays[relay] = (sequence, holder, now + duration);
            return ValueTask.FromResult<long?>(sequence);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> CheckpointAsync(string relay, string holder, long sequence, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relay);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        lock (_relays)
        {
            if (!_relays.TryGetValue(relay, out (long Sequence, string? Holder, DateTimeOffset Until) state) || state.Holder != holder)
            {
                return ValueTask.FromResult(false);
            }

            _relays[relay] = (Math.Max(state.Sequence, sequence), holder, _clock.GetUtcNow() + duration);
            return ValueTask.FromResult(true);
        }
    }
}
