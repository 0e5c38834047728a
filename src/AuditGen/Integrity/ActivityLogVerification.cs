namespace AuditGen.Integrity;

/// <summary>What <see cref="ActivityLogVerifier"/> found.</summary>
public sealed record ActivityLogVerification
{
    /// <summary>Whether every checkpoint is authentic and every record it covers is as it was.</summary>
    public required bool IsIntact { get; init; }

    /// <summary>Records checked against the checkpoints.</summary>
    public required long RecordsVerified { get; init; }

    /// <summary>Checkpointed records that a signed retention purge removed (accepted as gone, not verified).</summary>
    public long RecordsPurged { get; init; }

    /// <summary>Records stored after the newest checkpoint: not yet covered, so not yet verifiable.</summary>
    public required long RecordsNotYetCovered { get; init; }

    /// <summary>The newest authentic checkpoint, if any.</summary>
    public ActivityCheckpoint? Checkpoint { get; init; }

    /// <summary>The first sequence where the stored history differs from the checkpointed one; null when intact (or when only the checkpoints are at fault before any record).</summary>
    public long? FirstDivergentSequence { get; init; }

    /// <summary>The largest tree size a trusted witness cosigned (0 without witnesses).</summary>
    public long WitnessedSize { get; init; }

    /// <summary>The trusted witnesses whose cosignature on the newest checkpoint verifies.</summary>
    public IReadOnlyList<string> Cosigners { get; init; } = [];

    /// <summary>What is wrong, for people; null when intact.</summary>
    public string? Problem { get; init; }
}
