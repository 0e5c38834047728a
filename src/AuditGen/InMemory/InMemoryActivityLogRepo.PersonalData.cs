using AuditGen.Storage;

namespace AuditGen;

/// <summary>Subject keys in memory, beside the records, under the same write lock (so erasure and its record are one step).</summary>
public sealed partial class InMemoryActivityLogRepo
{
    private readonly Dictionary<Guid, ActivitySubjectKey> _keys = [];
    private readonly Dictionary<Guid, Guid> _keyOfSubject = [];

    /// <inheritdoc/>
    public ValueTask<ActivitySubjectKey?> FindSubjectKeyAsync(Guid subjectId, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            return new(_keyOfSubject.TryGetValue(subjectId, out Guid keyId) ? _keys[keyId] : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ActivitySubjectKey>> FindKeysAsync(IReadOnlyCollection<Guid> keyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyIds);
        lock (_writeLock)
        {
            return new(keyIds.Where(_keys.ContainsKey).Select(id => _keys[id]).ToArray());
        }
    }

    /// <inheritdoc/>
    public ValueTask<ActivitySubjectKey> AddSubjectKeyAsync(ActivitySubjectKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_writeLock)
        {
            if (_keyOfSubject.TryGetValue(key.SubjectId, out Guid existing))
            {
                return new(_keys[existing]);
            }

            _keys[key.KeyId] = key;
            _keyOfSubject[key.SubjectId] = key.KeyId;
            return new(key);
        }
    }

    /// <inheritdoc/>
    /// <remarks>The in-memory store keeps no legal holds.</remarks>
    public ValueTask<ActivityRecord> EraseSubjectAsync(Guid subjectId, Func<long, ActivityRecord> describe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(describe);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            long count = 0;
            if (_keyOfSubject.Remove(subjectId, out Guid keyId) && _keys.Remove(keyId, out ActivitySubjectKey? key))
            {
                count = key.SealedValues;
            }

            ActivityRecord record = describe(count);
            record.Validate();
            return new(AppendLocked(record, ActivitySealing.SealedCounts(record)));
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ActivitySubjectKey>> ListKeysAsync(Guid after, int limit, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            return new(_keys.Values.Where(k => k.KeyId.CompareTo(after) > 0).OrderBy(k => k.KeyId).Take(limit).ToArray());
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> ReplaceWrappedKeysAsync(IReadOnlyList<ActivitySubjectKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_writeLock)
        {
            int replaced = 0;
            foreach (ActivitySubjectKey key in keys)
            {
                if (_keys.TryGetValue(key.KeyId, out ActivitySubjectKey? stored))
                {
                    _keys[key.KeyId] = stored with { KekId = key.KekId, WrappedKey = key.WrappedKey };
                    replaced++;
                }
            }

            return new(replaced);
        }
    }

    /// <summary>Adds a record's sealed values to their keys' counts (under the write lock).</summary>
    private void CountSealed(Dictionary<Guid, int>? counts)
    {
        if (counts is null)
        {
            return;
        }

        foreach (KeyValuePair<Guid, int> count in counts)
        {
            if (_keys.TryGetValue(count.Key, out ActivitySubjectKey? key))
            {
                _keys[count.Key] = key with { SealedValues = key.SealedValues + count.Value };
            }
        }
    }
}
