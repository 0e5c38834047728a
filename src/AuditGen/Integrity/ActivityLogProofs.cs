namespace AuditGen.Integrity;

/// <summary>
/// Merkle proofs over the checkpointed log, from the checkpoint sink's leaves: that a record is in the tree of the newest
/// checkpoint (inclusion), and that an older checkpoint's tree is a prefix of a newer one's (consistency), so a client that
/// kept an old root can check that nothing before it changed. The leaves are read once and then only the new checkpoints'
/// (held in memory: 32 bytes and a sequence per record); a proof costs O(n) hashing of the covered leaves.
/// </summary>
public sealed class ActivityLogProofs : IDisposable
{
    private readonly IActivityCheckpointSink _sink;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<byte[]> _leaves = [];
    private readonly List<long> _sequences = [];
    private readonly List<ActivityCheckpoint> _checkpoints = [];

    /// <summary>Proofs over the checkpoints in <paramref name="sink"/>.</summary>
    /// <param name="sink">The checkpoint sink.</param>
    public ActivityLogProofs(IActivityCheckpointSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
    }

    /// <summary>The newest checkpoint, or null when none was written yet.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint.</returns>
    public async Task<ActivityCheckpoint?> LatestCheckpointAsync(CancellationToken cancellationToken = default)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        return await _sink.LatestAsync(cancellationToken).ConfigureAwait(false); // as stored now: with the cosignatures gathered since
    }

    /// <summary>
    /// The inclusion proof of the record at <paramref name="sequence"/> in the newest checkpoint's tree, or null when no
    /// checkpoint covers it yet (or the sequence was never checkpointed).
    /// </summary>
    /// <param name="sequence">The record's sequence.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The proof.</returns>
    public async Task<ActivityInclusionProof?> InclusionProofAsync(long sequence, CancellationToken cancellationToken = default)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        lock (_leaves)
        {
            int index = _sequences.BinarySearch(sequence);
            if (index < 0 || _checkpoints.Count == 0)
            {
                return null;
            }

            ActivityCheckpoint checkpoint = _checkpoints[^1];
            return new ActivityInclusionProof(sequence, index, _leaves[index], MerkleTree.InclusionProof(_leaves, index, (int)checkpoint.TreeSize), checkpoint);
        }
    }

    /// <summary>The consistency proof from the tree of <paramref name="fromSize"/> records to the tree of <paramref name="toSize"/> (each the size of a checkpoint).</summary>
    /// <param name="fromSize">The older checkpoint's tree size, at least 1.</param>
    /// <param name="toSize">The newer checkpoint's tree size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The proof, with both checkpoints.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is not a checkpoint's, or <paramref name="fromSize"/> is above <paramref name="toSize"/>.</exception>
    public async Task<ActivityConsistencyProof> ConsistencyProofAsync(long fromSize, long toSize, CancellationToken cancellationToken = default)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        lock (_leaves)
        {
            ActivityCheckpoint from = _checkpoints.Find(c => c.TreeSize == fromSize)
                ?? throw new ArgumentOutOfRangeException(nameof(fromSize), fromSize, "from must be the tree size of a checkpoint (at least 1).");
            ActivityCheckpoint to = _checkpoints.Find(c => c.TreeSize == toSize)
                ?? throw new ArgumentOutOfRangeException(nameof(toSize), toSize, "to must be the tree size of a checkpoint.");
            if (fromSize > toSize)
            {
                throw new ArgumentOutOfRangeException(nameof(fromSize), fromSize, "from must not be above to.");
            }

            return new ActivityConsistencyProof(from, to, MerkleTree.ConsistencyProof(_leaves, (int)fromSize, (int)toSize));
        }
    }

    /// <summary>Reads the checkpoints the sink gained since the last read.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ActivityCheckpoint? latest = await _sink.LatestAsync(cancellationToken).ConfigureAwait(false);
            if (latest is null || latest.TreeSize == _leaves.Count)
            {
                return;
            }

            await foreach (StoredCheckpoint stored in _sink.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_leaves)
                {
                    if (stored.Checkpoint.TreeSize <= _leaves.Count)
                    {
                        continue;
                    }

                    if (stored.PreviousSize != _leaves.Count)
                    {
                        throw new InvalidOperationException($"Checkpoint {stored.Name} follows tree size {stored.PreviousSize}, but the checkpoints before it reach {_leaves.Count}: the sink is missing a checkpoint.");
                    }

                    foreach (ActivityLeaf leaf in stored.Leaves)
                    {
                        _leaves.Add(leaf.Hash);
                        _sequences.Add(leaf.Sequence);
                    }

                    _checkpoints.Add(stored.Checkpoint);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();
}

/// <summary>That the record at <paramref name="Sequence"/> is leaf <paramref name="LeafIndex"/> of <paramref name="Checkpoint"/>'s tree.</summary>
/// <param name="Sequence">The record's sequence.</param>
/// <param name="LeafIndex">Its leaf, 0-based.</param>
/// <param name="LeafHash">Its leaf hash (<see cref="ActivityRecordEncoding.LeafHash"/> of the record).</param>
/// <param name="Path">The sibling hashes, from the leaf up (RFC 9162 §2.1.3).</param>
/// <param name="Checkpoint">The signed checkpoint the proof leads to.</param>
public sealed record ActivityInclusionProof(long Sequence, long LeafIndex, byte[] LeafHash, IReadOnlyList<byte[]> Path, ActivityCheckpoint Checkpoint)
{
    /// <summary>Whether the proof holds for <paramref name="record"/> against the checkpoint's root.</summary>
    /// <param name="record">The record as read from the log.</param>
    /// <returns>Whether the record is in the checkpointed tree.</returns>
    public bool Verify(ActivityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return MerkleTree.VerifyInclusion(LeafIndex, Checkpoint.TreeSize, ActivityRecordEncoding.LeafHash(record), Path, Checkpoint.RootHash);
    }
}

/// <summary>That the tree of <paramref name="From"/> is a prefix of the tree of <paramref name="To"/>.</summary>
/// <param name="From">The older checkpoint.</param>
/// <param name="To">The newer checkpoint.</param>
/// <param name="Path">The proof's hashes (RFC 9162 §2.1.4).</param>
public sealed record ActivityConsistencyProof(ActivityCheckpoint From, ActivityCheckpoint To, IReadOnlyList<byte[]> Path)
{
    /// <summary>Whether the proof holds between the two checkpoints' roots.</summary>
    /// <returns>Whether nothing before <see cref="From"/>'s size changed.</returns>
    public bool Verify() => MerkleTree.VerifyConsistency(From.TreeSize, To.TreeSize, From.RootHash, To.RootHash, Path);
}
