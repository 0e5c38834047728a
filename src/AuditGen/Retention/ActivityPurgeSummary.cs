namespace AuditGen;

/// <summary>What one purge removes, as the store found it inside the purge's transaction (before the record of the purge is written).</summary>
/// <param name="Window">The window the purge applied.</param>
/// <param name="RecordsPurged">How many records it removes.</param>
/// <param name="Ranges">Their sequences, as runs.</param>
/// <param name="PartitionsDropped">The partitions dropped whole (PostgreSQL), by name.</param>
/// <param name="Holds">How many legal holds were in place.</param>
public sealed record ActivityPurgeSummary(ActivityPurgeWindow Window, long RecordsPurged, IReadOnlyList<ActivitySequenceRange> Ranges, IReadOnlyList<string> PartitionsDropped, int Holds);
