namespace AuditGen;

/// <summary>What a retention run removed.</summary>
/// <param name="RecordsPurged">How many records it removed.</param>
/// <param name="PartitionsDropped">The partitions it dropped whole (PostgreSQL).</param>
/// <param name="Records">The record of each purge it made (one per batch; none when nothing was old enough).</param>
public sealed record ActivityPurgeResult(long RecordsPurged, IReadOnlyList<string> PartitionsDropped, IReadOnlyList<ActivityRecord> Records);
