using AuditGen.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuditGen.Integrity;

/// <summary>
/// Reading the log and writing checkpoints: the log's outbox (in a scope of its own for scoped stores), the lease, the
/// tree rebuilt from the sink's leaves, the log's leaves read into it, and the signed checkpoint written of them.
/// </summary>
public sealed partial class ActivityCheckpointer
{
    private DateTimeOffset _renewLeaseAt;

    /// <summary>How long the lease lasts: three of the longer of the interval and the poll.</summary>
    private TimeSpan LeaseLength => TimeSpan.FromTicks(Math.Max(_options.Interval.Ticks, _options.PollInterval.Ticks) * 3);

    private async Task<T> WithOutboxAsync<T>(Func<IActivityLogOutbox, Task<T>> step)
    {
        if (_outbox is not null)
        {
            return await step(_outbox).ConfigureAwait(false);
        }

        AsyncServiceScope scope = _scopes!.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            IActivityLogRepo log = scope.ServiceProvider.GetRequiredService<IActivityLogRepo>();
            IActivityLogRepo store = (log as ActivityLog)?.Store ?? log;
            return await step(store as IActivityLogOutbox ?? throw new InvalidOperationException(
                $"The activity log's store {store.GetType().Name} cannot be read in sequence order (IActivityLogOutbox): tamper evidence needs the SQLite, PostgreSQL, EF Core or in-memory store.")).ConfigureAwait(false);
        }
    }

    /// <summary>Takes or renews the lease; on first success (or after losing it) rebuilds the tree from the sink.</summary>
    private async Task<bool> LeaseAsync(IActivityLogOutbox outbox, CancellationToken cancellationToken)
    {
        // Renewed at half its length, not on every poll: a poll that finds nothing new then costs one read, no write.
        DateTimeOffset now = _clock.GetUtcNow();
        if (_tree is not null && now < _renewLeaseAt)
        {
            return true;
        }

        if (await outbox.TryLeaseAsync(LeaseName, _holder, LeaseLength, cancellationToken).ConfigureAwait(false) is null)
        {
            _tree = null; // another checkpointer writes; if we take over later, resume from what it wrote
            return false;
        }

        _renewLeaseAt = now + (LeaseLength / 2);

        if (_tree is null)
        {
            await ResumeAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Rebuilds the tree from the sink's leaves and checks it against the newest checkpoint's signed root.</summary>
    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        if (_options.Sink is FileActivityCheckpointSink files &&
            await files.MigrateAsync(_options.Key!, _origin, cancellationToken).ConfigureAwait(false) is > 0 and var migrated)
        {
            LogMigrated(_logger, migrated, _origin);
        }

        var tree = new MerkleFrontier();
        long last = 0;
        ActivityCheckpoint? latest = null;
        await foreach (StoredCheckpoint stored in _options.Sink!.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (stored.PreviousSize != tree.Size)
            {
                throw new InvalidOperationException($"Checkpoint {stored.Name} follows tree size {stored.PreviousSize}, but the checkpoints before it reach {tree.Size}: the sink is missing a checkpoint.");
            }

            foreach (ActivityLeaf leaf in stored.Leaves)
            {
                tree.Append(leaf.Hash);
                last = leaf.Sequence;
            }

            latest = stored.Checkpoint;
        }

        if (latest is not null && (tree.Size != latest.TreeSize || !tree.Root().AsSpan().SequenceEqual(latest.RootHash)))
        {
            throw new InvalidOperationException($"The sink's leaves do not give the newest checkpoint's root (tree size {latest.TreeSize}): the sink was changed; run auditgen verify.");
        }

        lock (_pending)
        {
            _pending.Clear();
        }

        _tree = tree;
        _lastSequence = last;
        _lastCheckpointAt = latest?.IssuedAt ?? _clock.GetUtcNow();
        Volatile.Write(ref _latest, latest);
    }

    /// <summary>The most leaves one read takes; a read that fills it means more are waiting.</summary>
    internal const int ReadBatch = 1_000;

    private async Task<int> ReadAsync(IActivityLogOutbox outbox, CancellationToken cancellationToken)
    {
        // The leaves as stored at append (40 bytes a record); rows stored without one get it computed from the record.
        IReadOnlyList<ActivityLeaf> batch = await outbox.ReadLeavesAfterAsync(_lastSequence, ReadBatch, cancellationToken).ConfigureAwait(false);
        foreach (ActivityLeaf leaf in batch)
        {
            _tree!.Append(leaf.Hash);
            lock (_pending)
            {
                _pending.Add(leaf);
            }

            _lastSequence = leaf.Sequence;
        }

        return batch.Count;
    }

    private async Task<ActivityCheckpoint?> WriteAsync(IActivityLogOutbox outbox, CancellationToken cancellationToken)
    {
        ActivityLeaf[] leaves;
        lock (_pending)
        {
            leaves = [.. _pending];
        }

        if (leaves.Length == 0)
        {
            return null;
        }

        DateTimeOffset now = _clock.GetUtcNow();
        KeyRefuses(now); // logs the first refusal; Sign then throws, naming the key and its window
        ActivityCheckpoint checkpoint = ActivityCheckpoint.Sign(_origin, _tree!.Size, _tree.Root(), now, _options.Key!);
        await _options.Sink!.WriteAsync(checkpoint, leaves, cancellationToken).ConfigureAwait(false);
        lock (_pending)
        {
            _pending.RemoveRange(0, leaves.Length);
        }

        _lastCheckpointAt = now;
        Volatile.Write(ref _latest, checkpoint);
        if (await outbox.CheckpointAsync(LeaseName, _holder, _lastSequence, LeaseLength, cancellationToken).ConfigureAwait(false))
        {
            _renewLeaseAt = now + (LeaseLength / 2);
        }
        LogCheckpointWritten(_logger, checkpoint.TreeSize, checkpoint.KeyId);
        _witnesses?.Notify();
        return checkpoint;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "Checkpoint written: {TreeSize} records, signed with key {KeyId}.")]
    private static partial void LogCheckpointWritten(ILogger logger, long treeSize, string keyId);

    [LoggerMessage(EventId = 36, Level = LogLevel.Information, Message = "{Count} checkpoint files of the format before signed notes were rewritten as checkpoint notes of '{Origin}', signed by the same key.")]
    private static partial void LogMigrated(ILogger logger, int count, string origin);
}
