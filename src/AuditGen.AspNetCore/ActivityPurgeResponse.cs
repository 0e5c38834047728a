using System.ComponentModel;

namespace AuditGen.AspNetCore;

/// <summary>What a retention run removed.</summary>
/// <param name="RecordsPurged">How many records went.</param>
/// <param name="PartitionsDropped">The partitions dropped whole (PostgreSQL).</param>
/// <param name="Purges">The ids of the records of the purges, one per batch.</param>
public sealed record ActivityPurgeResponse(
    [property: Description("How many records the run removed.")] long RecordsPurged,
    [property: Description("The partitions it dropped whole (PostgreSQL); empty otherwise.")] IReadOnlyList<string> PartitionsDropped,
    [property: Description("The record id of each purge it made (auditgen.retention.purge), one per batch; empty when nothing was old enough.")] IReadOnlyList<Guid> Purges)
{
    internal static ActivityPurgeResponse From(ActivityPurgeResult result) =>
        new(result.RecordsPurged, result.PartitionsDropped, [.. result.Records.Select(static r => r.RecordId)]);
}
