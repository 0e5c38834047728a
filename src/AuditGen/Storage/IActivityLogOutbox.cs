namespace AuditGen.Storage;

/// <summary>
/// The log read as its own outbox: records in sequence order after a checkpoint, and, per relay name, a checkpoint and
/// a lease stored in the log's own database, so one relay at a time delivers and a restarted relay resumes where the
/// last checkpoint left it. Implemented by the SQLite, PostgreSQL and in-memory stores; used by the relay
/// (<c>UseDurableDelivery</c>).
/// </summary>
public interface IActivityLogOutbox
{
    /// <summary>The records after <paramref name="sequence"/>, in sequence order.</summary>
    /// <param name="sequence">The last record already delivered (0 for none).</param>
    /// <param name="limit">At most this many records.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="limit"/> records, oldest first.</returns>
    ValueTask<IReadOnlyList<ActivityRecord>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The Merkle leaf hashes of the records after <paramref name="sequence"/>, in sequence order: what the checkpointer
    /// reads. A store that keeps each record's leaf with its row (computed at append) returns it as stored, about 40 bytes
    /// per record; a row stored without one (before the leaf column existed) gets its leaf computed from the record. The
    /// default reads the records and computes every leaf (<see cref="Integrity.ActivityRecordEncoding.LeafHash"/>).
    /// </summary>
    /// <param name="sequence">The last record already covered (0 for none).</param>
    /// <param name="limit">At most this many leaves.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="limit"/> leaves, oldest first.</returns>
    async ValueTask<IReadOnlyList<Integrity.ActivityLeaf>> ReadLeavesAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ActivityRecord> records = await ReadAfterAsync(sequence, limit, cancellationToken).ConfigureAwait(false);
        var leaves = new Integrity.ActivityLeaf[records.Count];
        for (int i = 0; i < leaves.Length; i++)
        {
            leaves[i] = new Integrity.ActivityLeaf(records[i].Sequence, Integrity.ActivityRecordEncoding.LeafHash(records[i]));
        }

        return leaves;
    }

    /// <summary>The sequence of the newest record (0 when the log is empty): how far behind a relay is.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The newest sequence.</returns>
    ValueTask<long> LastSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes or renews the lease of relay <paramref name="relay"/> for <paramref name="holder"/> when it is free, expired or
    /// already theirs.
    /// </summary>
    /// <param name="relay">The relay's name; one checkpoint per name.</param>
    /// <param name="holder">Who asks: unique per relay instance.</param>
    /// <param name="duration">How long the lease lasts unless renewed.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The relay's checkpoint (0 at first) when the lease is <paramref name="holder"/>'s; otherwise <see langword="null"/>.</returns>
    ValueTask<long?> TryLeaseAsync(string relay, string holder, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Moves the checkpoint forward to <paramref name="sequence"/> and renews the lease, if it is still <paramref name="holder"/>'s.</summary>
    /// <param name="relay">The relay's name.</param>
    /// <param name="holder">The lease's holder.</param>
    /// <param name="sequence">The last record delivered; never moves the checkpoint back.</param>
    /// <param name="duration">How long the renewed lease lasts.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="false"/> when the lease was lost to another holder: stop delivering.</returns>
    ValueTask<bool> CheckpointAsync(string relay, string holder, long sequence, TimeSpan duration, CancellationToken cancellationToken = default);
}
