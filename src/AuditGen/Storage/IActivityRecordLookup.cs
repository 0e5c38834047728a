namespace AuditGen.Storage;

/// <summary>Finds one stored record by its id, through the record id's unique index (O(log n)). Implemented by every adapter that ships with AuditGen; used by proofs.</summary>
public interface IActivityRecordLookup
{
    /// <summary>The stored record with <paramref name="recordId"/>, or null.</summary>
    /// <param name="recordId">The record's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record as stored, or <see langword="null"/> when the log has none with that id.</returns>
    ValueTask<ActivityRecord?> FindAsync(Guid recordId, CancellationToken cancellationToken = default);
}
