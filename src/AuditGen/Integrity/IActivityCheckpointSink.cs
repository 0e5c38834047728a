namespace AuditGen.Integrity;

/// <summary>
/// Where signed checkpoints go: outside the database, ideally on storage the database's writers cannot change
/// (write-once object storage, another machine). Each checkpoint comes with the leaves it adds (the sequence and leaf hash
/// of every record since the previous one), so a verifier can name the first record that differs.
/// <see cref="FileActivityCheckpointSink"/> writes files; implement this for other storage.
/// </summary>
public interface IActivityCheckpointSink
{
    /// <summary>Stores a checkpoint and the leaves it adds after the previous checkpoint's tree size.</summary>
    /// <param name="checkpoint">The signed checkpoint.</param>
    /// <param name="leaves">The leaves from the previous checkpoint's size to <see cref="ActivityCheckpoint.TreeSize"/>, in order.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>When the checkpoint is durably stored.</returns>
    ValueTask WriteAsync(ActivityCheckpoint checkpoint, IReadOnlyList<ActivityLeaf> leaves, CancellationToken cancellationToken = default);

    /// <summary>Every stored checkpoint with its leaves, in tree-size order.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoints.</returns>
    IAsyncEnumerable<StoredCheckpoint> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>The newest checkpoint, or null when there is none.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint with the largest tree size.</returns>
    ValueTask<ActivityCheckpoint?> LatestAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds witness cosignatures to the stored checkpoint of <paramref name="treeSize"/> (its note gains the signature
    /// lines). A sink that cannot store them returns false (the default), and the cosignatures are only in memory.
    /// </summary>
    /// <param name="treeSize">The checkpoint's tree size.</param>
    /// <param name="cosignatures">Verified cosignatures.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether they were stored.</returns>
    ValueTask<bool> AddCosignaturesAsync(long treeSize, IReadOnlyList<NoteSignature> cosignatures, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(false);
}

/// <summary>A checkpoint as a sink holds it: the signed part and the leaves it added after <paramref name="PreviousSize"/>.</summary>
/// <param name="Checkpoint">The signed checkpoint.</param>
/// <param name="PreviousSize">The tree size of the checkpoint before it (0 for the first).</param>
/// <param name="Leaves">The leaves from <paramref name="PreviousSize"/> to the checkpoint's tree size.</param>
/// <param name="Name">Where the sink keeps it (a file name), for messages.</param>
public sealed record StoredCheckpoint(ActivityCheckpoint Checkpoint, long PreviousSize, IReadOnlyList<ActivityLeaf> Leaves, string Name);
