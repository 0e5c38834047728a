using System.Collections;
using System.Collections.Concurrent;
using AuditGen.InMemory;
using AuditGen.Storage;

namespace AuditGen;

/// <summary>
/// The in-memory adapter of <see cref="IActivityLogRepo"/>, for tests and small single-process tools.
/// </summary>
/// <remarks>
/// Records are kept in append order with an index per entity, actor, owner and action, so a query costs
/// O(log n + limit) whatever the size of the log. Appends are serialized; queries never block and never see a
/// half-appended record, so it is safe under any mix of concurrent appends and queries. A time range is found by
/// binary search while the records of an index were stamped in order (the usual case: the clock stamps them), and
/// is a filter otherwise. When several filters are set, the smallest index is walked and the others are checked.
/// </remarks>
public sealed partial class InMemoryActivityLogRepo : IActivityLogRepo, IActivityLogOutbox, IActivityRecordLookup, IActivitySubjectKeyStore
{
    private readonly TimeProvider _clock;
#if NET9_0_OR_GREATER
    private readonly Lock _writeLock = new();
#else
    private readonly object _writeLock = new();
#endif
    private readonly AppendOnlyList<ActivityRecord> _records = new(capacity: 64);
    private readonly PositionIndex _all = new();
    private readonly ConcurrentDictionary<Guid, int> _positionsById = new();
    private readonly ConcurrentDictionary<EntityRef, PositionIndex> _byEntity = new();
    private readonly ConcurrentDictionary<Guid, PositionIndex> _byActor = new();
    private readonly ConcurrentDictionary<Guid, PositionIndex> _byOwner = new();
    private readonly ConcurrentDictionary<string, PositionIndex> _byAction = new(StringComparer.Ordinal);

    /// <summary>Creates an empty log.</summary>
    /// <param name="clock">Stamps records that arrive without <see cref="ActivityRecord.OccurredAt"/>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public InMemoryActivityLogRepo(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <summary>Every stored record in append order: a snapshot that later appends do not change.</summary>
    public IReadOnlyList<ActivityRecord> Records => new RecordsSnapshot(_records.SnapshotSegment());

    /// <inheritdoc/>
    public ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        Dictionary<Guid, int>? sealedCounts = ActivitySealing.SealedCounts(record); // refuses personal values in clear

        ActivityRecord stored;
        lock (_writeLock)
        {
            stored = AppendLocked(record, sealedCounts);
        }

        return new ValueTask<AppendResult>(AppendResult.Appended(stored));
    }

    /// <summary>Appends under the write lock, counting sealed values under their keys.</summary>
    private ActivityRecord AppendLocked(ActivityRecord record, Dictionary<Guid, int>? sealedCounts)
    {
        ActivityRecord stored;
        {
            if (_positionsById.ContainsKey(record.RecordId))
            {
                throw ActivityBatch.DuplicateRecord(nameof(record));
            }

            int position = _records.Count;
            stored = record.ToStored(position + 1L, _clock.GetUtcNow());
            DateTimeOffset at = stored.OccurredAt;

            // The record first, then the indexes: a reader that finds a position always finds its record.
            _records.Add(stored);
            _positionsById[stored.RecordId] = position;
            _all.Add(position, at);
            _byEntity.GetOrAdd(stored.EntityRef, static _ => new()).Add(position, at);
            _byActor.GetOrAdd(stored.ActorId, static _ => new()).Add(position, at);
            _byOwner.GetOrAdd(stored.OwnerId, static _ => new()).Add(position, at);
            _byAction.GetOrAdd(stored.Action, static _ => new()).Add(position, at);
            CountSealed(sealedCounts);
        }

        return stored;
    }

    /// <inheritdoc/>
    public ValueTask<ActivityRecord?> FindAsync(Guid recordId, CancellationToken cancellationToken = default) =>
        new(_positionsById.TryGetValue(recordId, out int position) ? _records.Snapshot()[position] : null);

    /// <inheritdoc/>
    public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        long? after = ActivityCursor.Decode(query);
        cancellationToken.ThrowIfCancellationRequested();

        if (!TrySelectIndex(query, out PositionIndex? index))
        {
            return new ValueTask<ActivityPage>(ActivityPage.Empty);
        }

        // Index first, then records: every position in the index snapshot has its record in the records snapshot.
        ReadOnlySpan<int> positions = index.Positions;
        bool timeOrdered = index.IsTimeOrdered;
        ReadOnlySpan<ActivityRecord> records = _records.Snapshot();

        int lo = 0, hi = positions.Length; // the candidate range [lo, hi) of the index
        if (timeOrdered)
        {
            if (query.Since is { } since)
            {
                lo = LowerBound(positions, records, since);
            }

            if (query.Until is { } until)
            {
                hi = LowerBound(positions, records, until);
            }
        }

        if (after is { } afterSequence)
        {
            // Positions are sequence - 1: continue strictly before (newest first) or after (oldest first) the cursor.
            int cut = LowerBound(positions, (int)Math.Min(afterSequence, int.MaxValue) - (query.Order == ActivityOrder.NewestFirst ? 1 : 0));
            if (query.Order == ActivityOrder.NewestFirst)
            {
                hi = Math.Min(hi, cut);
            }
            else
            {
                lo = Math.Max(lo, cut);
            }
        }

        return new ValueTask<ActivityPage>(Collect(query, positions, records, lo, hi, checkTime: !timeOrdered));
    }

    private static ActivityPage Collect(ActivityQuery query, ReadOnlySpan<int> positions, ReadOnlySpan<ActivityRecord> records,
        int lo, int hi, bool checkTime)
    {
        int limit = query.Limit;
        var items = new List<ActivityRecord>(Math.Min(limit, Math.Max(hi - lo, 0)));
        bool newestFirst = query.Order == ActivityOrder.NewestFirst;
        bool more = false;
        for (int i = newestFirst ? hi - 1 : lo; newestFirst ? i >= lo : i < hi; i += newestFirst ? -1 : 1)
        {
            ActivityRecord record = records[positions[i]];
            if (!Matches(query, record, checkTime))
            {
                continue;
            }

            if (items.Count == limit)
            {
                more = true; // one match past the page: there is a next page
                break;
            }

            items.Add(record);
        }

        return items.Count == 0
            ? ActivityPage.Empty
            : new ActivityPage(items, more ? ActivityCursor.Encode(query, items[^1].Sequence) : null);
    }

    private bool TrySelectIndex(ActivityQuery query, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PositionIndex? index)
    {
        index = null;
        if (query.Entity is { } entity && !Narrow(_byEntity, entity, ref index))
        {
            return false;
        }

        if (query.ActorId is { } actor && !Narrow(_byActor, actor, ref index))
        {
            return false;
        }

        if (query.OwnerId is { } owner && !Narrow(_byOwner, owner, ref index))
        {
            return false;
        }

        if (query.Action is { } action && !Narrow(_byAction, action, ref index))
        {
            return false;
        }

        index ??= _all;
        return true;

        static bool Narrow<TKey>(ConcurrentDictionary<TKey, PositionIndex> indexes, TKey key, ref PositionIndex? smallest)
            where TKey : notnull
        {
            if (!indexes.TryGetValue(key, out PositionIndex? candidate))
            {
                return false; // nothing has this key: the answer is empty
            }

            if (smallest is null || candidate.Count < smallest.Count)
            {
                smallest = candidate;
            }

            return true;
        }
    }

    private static bool Matches(ActivityQuery query, ActivityRecord record, bool checkTime) =>
        (query.Entity is not { } entity || record.EntityRef == entity) &&
        (query.ActorId is not { } actor || record.ActorId == actor) &&
        (query.OwnerId is not { } owner || record.OwnerId == owner) &&
        (query.Action is not { } action || string.Equals(record.Action, action, StringComparison.Ordinal)) &&
        (!checkTime || ((query.Since is not { } since || record.OccurredAt >= since) &&
                        (query.Until is not { } until || record.OccurredAt < until)));

    /// <summary>The first index whose position is at least <paramref name="position"/>.</summary>
    private static int LowerBound(ReadOnlySpan<int> positions, int position)
    {
        int index = positions.BinarySearch(position);
        return index >= 0 ? index : ~index;
    }

    /// <summary>The first index whose record occurred at or after <paramref name="time"/> (the index is time-ordered).</summary>
    private static int LowerBound(ReadOnlySpan<int> positions, ReadOnlySpan<ActivityRecord> records, DateTimeOffset time)
    {
        int lo = 0, hi = positions.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (records[positions[mid]].OccurredAt < time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private sealed class RecordsSnapshot(ArraySegment<ActivityRecord> records) : IReadOnlyList<ActivityRecord>
    {
        public ActivityRecord this[int index] => records[index];

        public int Count => records.Count;

        public IEnumerator<ActivityRecord> GetEnumerator() => records.AsEnumerable().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
