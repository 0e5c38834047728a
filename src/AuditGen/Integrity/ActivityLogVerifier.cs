using System.Diagnostics;
using AuditGen.Storage;

namespace AuditGen.Integrity;

/// <summary>
/// Checks a log against its checkpoints: each checkpoint's signature with the trusted key of its id and time window;
/// that the checkpoints' leaves rebuild every signed root (so the sink is whole); then, record by record in sequence order,
/// that the log holds exactly the checkpointed records — naming the first sequence where history diverges: a changed
/// field, a deleted record, deleted newest records (truncation), a forged or reordered record. Records a retention purge
/// removed are accepted as gone when a purge record signed with a trusted key names them (<see cref="ActivityRetentionRecords"/>);
/// a purge record whose signature does not verify is itself a divergence.
/// </summary>
public static class ActivityLogVerifier
{
    /// <summary>Verifies <paramref name="log"/> against the checkpoints in <paramref name="sink"/>.</summary>
    /// <param name="log">The log's store, read in sequence order.</param>
    /// <param name="sink">Where the checkpoints are.</param>
    /// <param name="trustedKeys">The public keys checkpoints may be signed with (each within its window). Not read from the sink: keys the database's writers cannot change.</param>
    /// <param name="progress">Gets the number of records checked so far.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>What was found.</returns>
    public static Task<ActivityLogVerification> VerifyAsync(IActivityLogOutbox log, IActivityCheckpointSink sink, IReadOnlyCollection<ActivityCheckpointKey> trustedKeys,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        VerifyAsync(log, sink, trustedKeys, new ActivityLogVerifyOptions { Quorum = 0 }, progress, cancellationToken);

    /// <summary>
    /// Verifies <paramref name="log"/> against the checkpoints in <paramref name="sink"/> and the witnesses of
    /// <paramref name="options"/>: the newest checkpoint needs <see cref="ActivityLogVerifyOptions.Quorum"/> valid
    /// cosignatures of trusted witnesses, and the largest size any trusted witness cosigned (in the sink, or in
    /// <see cref="ActivityLogVerifyOptions.WitnessCheckpoints"/>) must not be above the log's size — a log truncated together
    /// with its newest checkpoints is reported: "witness W cosigned size S; the log has T &lt; S records".
    /// </summary>
    /// <param name="log">The log's store, read in sequence order.</param>
    /// <param name="sink">Where the checkpoints are.</param>
    /// <param name="trustedKeys">The public keys checkpoints may be signed with (each within its window).</param>
    /// <param name="options">The trusted witnesses, the quorum, and the witnesses' own latest checkpoints.</param>
    /// <param name="progress">Gets the number of records checked so far.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>What was found.</returns>
    /// <exception cref="ArgumentException">The options are not valid, naming the field.</exception>
    public static async Task<ActivityLogVerification> VerifyAsync(IActivityLogOutbox log, IActivityCheckpointSink sink, IReadOnlyCollection<ActivityCheckpointKey> trustedKeys,
        ActivityLogVerifyOptions options, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(trustedKeys);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using Activity? span = ActivityLogTracing.StartVerify();
        ActivityLogVerification result = await VerifyCoreAsync(log, sink, trustedKeys, options, progress, cancellationToken).ConfigureAwait(false);
        span?.SetTag("auditgen.verify.intact", result.IsIntact);
        span?.SetTag("auditgen.verify.records", result.RecordsVerified);
        if (result.FirstDivergentSequence is long first)
        {
            span?.SetTag("auditgen.verify.first_divergent_sequence", first);
        }

        if (!result.IsIntact)
        {
            span?.SetStatus(ActivityStatusCode.Error, result.Problem);
        }

        return result;
    }

    private static async Task<ActivityLogVerification> VerifyCoreAsync(IActivityLogOutbox log, IActivityCheckpointSink sink, IReadOnlyCollection<ActivityCheckpointKey> trustedKeys,
        ActivityLogVerifyOptions options, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        // 1. The checkpoints: authentic, contiguous, and their leaves rebuild every signed root.
        var tree = new MerkleFrontier();
        ActivityCheckpoint? latest = null;
        (long Size, string Witness) witnessed = (0, "");
        long firstSequenceOf = 0;
        await foreach (StoredCheckpoint stored in sink.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            ActivityCheckpoint checkpoint = stored.Checkpoint;
            firstSequenceOf = stored.Leaves.Count > 0 ? stored.Leaves[0].Sequence : 0;
            ActivityCheckpointKey? key = trustedKeys.FirstOrDefault(k => k.Id == checkpoint.KeyId && k.IsValidAt(checkpoint.IssuedAt));
            if (key is null || !checkpoint.IsSignedBy(key))
            {
                return Broken(latest, 0, firstSequenceOf == 0 ? null : firstSequenceOf, key is null
                    ? $"Checkpoint {stored.Name} (tree size {checkpoint.TreeSize}) names key '{checkpoint.KeyId}' at {checkpoint.IssuedAt:O}, and no trusted key has that id and window: it is forged, or its key is not trusted."
                    : $"Checkpoint {stored.Name} (tree size {checkpoint.TreeSize}): its signature does not verify with trusted key '{key.Id}': it is forged or was changed.");
            }

            if (stored.PreviousSize != tree.Size || checkpoint.TreeSize != tree.Size + stored.Leaves.Count)
            {
                return Broken(latest, 0, firstSequenceOf == 0 ? null : firstSequenceOf,
                    $"Checkpoint {stored.Name} covers tree sizes {stored.PreviousSize}..{checkpoint.TreeSize} with {stored.Leaves.Count} leaves, but the checkpoints before it reach {tree.Size}: a checkpoint is missing or was changed.");
            }

            foreach (ActivityLeaf leaf in stored.Leaves)
            {
                tree.Append(leaf.Hash);
            }

            if (!tree.Root().AsSpan().SequenceEqual(checkpoint.RootHash))
            {
                return Broken(latest, 0, firstSequenceOf == 0 ? null : firstSequenceOf,
                    $"Checkpoint {stored.Name}: its leaves do not give its signed root: the checkpoint file was changed.");
            }

            latest = checkpoint;
            if (options.Witnesses.Count > 0 && checkpoint.Note is { } note && checkpoint.TreeSize > witnessed.Size &&
                note.Check(options.Witnesses).Verified is { Count: > 0 } cosigners)
            {
                witnessed = (checkpoint.TreeSize, cosigners[0].Name);
            }
        }

        // 2. The sanctioned removals: purge records signed with a trusted key vouch for the sequences they removed.
        (PurgedSequences purged, ActivityRecord? forged, string? forgery) = await PurgedSequences.ReadAsync(log, trustedKeys, cancellationToken).ConfigureAwait(false);
        if (forged is not null)
        {
            return Broken(latest, 0, forged.Sequence, forgery!);
        }

        // 3. The records, in sequence order, against the checkpointed leaves.
        long verified = 0;
        long removed = 0;
        long after = 0;
        IReadOnlyList<ActivityRecord> batch = [];
        var storedLeaves = new Dictionary<long, byte[]>();
        int position = 0;
        async ValueTask<ActivityRecord?> NextAsync()
        {
            if (position == batch.Count)
            {
                // The leaves the store keeps beside the rows, to be checked against the rows (never believed).
                storedLeaves.Clear();
                foreach (ActivityLeaf stored in await log.ReadLeavesAfterAsync(after, 5_000, cancellationToken).ConfigureAwait(false))
                {
                    storedLeaves[stored.Sequence] = stored.Hash;
                }

                batch = await log.ReadAfterAsync(after, 5_000, cancellationToken).ConfigureAwait(false);
                position = 0;
                if (batch.Count == 0)
                {
                    return null;
                }

                after = batch[^1].Sequence;
            }

            return batch[position++];
        }

        async ValueTask<ActivityRecord?> PeekAsync()
        {
            ActivityRecord? next = await NextAsync().ConfigureAwait(false);
            if (next is not null)
            {
                position--;
            }

            return next;
        }

        await foreach (StoredCheckpoint stored in sink.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (ActivityLeaf leaf in stored.Leaves)
            {
                if (purged.Contains(leaf.Sequence) && (await PeekAsync().ConfigureAwait(false))?.Sequence != leaf.Sequence)
                {
                    removed++; // removed by a signed purge
                    continue;
                }

                ActivityRecord? record = await NextAsync().ConfigureAwait(false);
                if (record is null)
                {
                    return Broken(latest, verified, leaf.Sequence,
                        $"Record {leaf.Sequence} and every record after it are missing: checkpoint {stored.Name} covers {stored.Checkpoint.TreeSize} records, the log has {verified} (truncated).");
                }

                if (record.Sequence > leaf.Sequence)
                {
                    return Broken(latest, verified, leaf.Sequence, $"Record {leaf.Sequence} is missing: it was deleted (the log goes on at {record.Sequence}).");
                }

                if (record.Sequence < leaf.Sequence)
                {
                    return Broken(latest, verified, record.Sequence, $"Record {record.Sequence} was not in the log when it was checkpointed (expected {leaf.Sequence} next): it was inserted.");
                }

                byte[] computed = ActivityRecordEncoding.LeafHash(record);
                if (!computed.AsSpan().SequenceEqual(leaf.Hash))
                {
                    return Broken(latest, verified, record.Sequence, $"Record {record.Sequence} ({record.RecordId}) differs from the record checkpointed at that sequence: it was changed, replaced or moved.");
                }

                if (StoredLeafProblem(record, computed) is { } wrongLeaf)
                {
                    return Broken(latest, verified, record.Sequence, wrongLeaf);
                }

                verified++;
                if (verified % 10_000 == 0)
                {
                    progress?.Report(verified);
                }
            }
        }

        long uncovered = 0;
        while (await NextAsync().ConfigureAwait(false) is { } record)
        {
            if (StoredLeafProblem(record, ActivityRecordEncoding.LeafHash(record)) is { } wrongLeaf)
            {
                return Broken(latest, verified, record.Sequence, wrongLeaf);
            }

            uncovered++;
        }

        progress?.Report(verified);

        // A leaf stored with its row must be the leaf of the row's content: one that is not was written wrong or the row
        // was changed after the leaf was computed, and a checkpoint over it would vouch for something the row is not.
        string? StoredLeafProblem(ActivityRecord record, byte[] computed) =>
            storedLeaves.TryGetValue(record.Sequence, out byte[]? stored) && !computed.AsSpan().SequenceEqual(stored)
                ? $"Record {record.Sequence} ({record.RecordId}): the leaf hash stored with it is not the hash of its content: the row was changed after it was appended, or its leaf was written wrong."
                : null;

        var intact = new ActivityLogVerification { IsIntact = true, RecordsVerified = verified, RecordsPurged = removed, RecordsNotYetCovered = uncovered, Checkpoint = latest };
        return options.Witnesses.Count == 0 ? intact : CheckWitnesses(intact, witnessed, options);
    }

    /// <summary>The witnesses' part: nothing they cosigned lies beyond the log, and the newest checkpoint has the quorum.</summary>
    private static ActivityLogVerification CheckWitnesses(ActivityLogVerification intact, (long Size, string Witness) witnessed, ActivityLogVerifyOptions options)
    {
        ActivityCheckpoint? latest = intact.Checkpoint;
        foreach (SignedNote view in options.WitnessCheckpoints)
        {
            (string origin, long size, _) = ActivityCheckpoint.ParseBody(view.Text);
            if ((latest?.Origin is null || origin == latest.Origin) && size > witnessed.Size && view.Check(options.Witnesses).Verified is { Count: > 0 } cosigners)
            {
                witnessed = (size, cosigners[0].Name);
            }
        }

        long logSize = (latest?.TreeSize ?? 0) + intact.RecordsNotYetCovered;
        string[] newestCosigners = latest?.Note is { } newest ? [.. newest.Check(options.Witnesses).Verified.Select(static v => v.Name).Distinct()] : [];
        ActivityLogVerification result = intact with { WitnessedSize = witnessed.Size, Cosigners = newestCosigners };
        if (witnessed.Size > logSize)
        {
            return Broken(latest, intact.RecordsVerified, null,
                $"witness {witnessed.Witness} cosigned size {witnessed.Size}; the log has {logSize} < {witnessed.Size} records: records were deleted from its end, and its newest checkpoints with them.") with
            { WitnessedSize = witnessed.Size, Cosigners = newestCosigners };
        }

        if (witnessed.Size > (latest?.TreeSize ?? 0))
        {
            return Broken(latest, intact.RecordsVerified, null,
                $"witness {witnessed.Witness} cosigned size {witnessed.Size}; the newest checkpoint in the sink covers {latest?.TreeSize ?? 0}: checkpoints were deleted from the sink.") with
            { WitnessedSize = witnessed.Size, Cosigners = newestCosigners };
        }

        if (newestCosigners.Length < options.Quorum)
        {
            return Broken(latest, intact.RecordsVerified, null,
                $"the newest checkpoint (tree size {latest?.TreeSize ?? 0}) has {newestCosigners.Length} valid cosignatures of trusted witnesses; {options.Quorum} required.") with
            { WitnessedSize = witnessed.Size, Cosigners = newestCosigners };
        }

        return result;
    }

    private static ActivityLogVerification Broken(ActivityCheckpoint? latest, long verified, long? first, string problem) => new()
    {
        IsIntact = false,
        RecordsVerified = verified,
        RecordsNotYetCovered = 0,
        Checkpoint = latest,
        FirstDivergentSequence = first,
        Problem = problem,
    };
}
