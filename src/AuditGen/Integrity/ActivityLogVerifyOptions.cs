namespace AuditGen.Integrity;

/// <summary>What <see cref="ActivityLogVerifier.VerifyAsync(Storage.IActivityLogOutbox, IActivityCheckpointSink, IReadOnlyCollection{ActivityCheckpointKey}, ActivityLogVerifyOptions, IProgress{long}?, CancellationToken)"/> demands beyond the log's own checkpoints.</summary>
public sealed class ActivityLogVerifyOptions
{
    /// <summary>The witnesses whose cosignatures are trusted (their <c>cosignature/v1</c> keys).</summary>
    public IList<NoteVerifier> Witnesses { get; } = [];

    /// <summary>
    /// How many trusted witnesses must have cosigned the newest checkpoint. 1 unless set (when <see cref="Witnesses"/> is
    /// not empty); 0 checks the cosignatures present without requiring any.
    /// </summary>
    public int Quorum { get; set; } = 1;

    /// <summary>
    /// Checkpoints the witnesses served directly (their latest view of the origin, <see cref="ActivityWitnessClient"/>):
    /// a cosigned size larger than the log is a truncation even when the log's newest checkpoints were deleted with it.
    /// </summary>
    public IList<SignedNote> WitnessCheckpoints { get; } = [];

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Quorum, nameof(Quorum));
        if (Quorum > Witnesses.Count && Witnesses.Count > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Quorum), Quorum, $"Quorum {Quorum} is more than the {Witnesses.Count} trusted witnesses.");
        }

        if (Witnesses.Any(static w => w.Type != NoteSignatureType.CosignatureV1))
        {
            throw new ArgumentException("Witnesses holds cosignature/v1 keys (type 04) only.", nameof(Witnesses));
        }
    }
}
