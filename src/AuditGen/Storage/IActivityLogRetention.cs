namespace AuditGen.Storage;

/// <summary>
/// A store that can remove old records the sanctioned way and keep legal holds (SQLite and PostgreSQL). The store's
/// append-only protection refuses every other removal. Each change is written together with its own record, in one
/// transaction, so a hold or a purge is never without its trail. Used by <see cref="ActivityLogRetention"/>.
/// </summary>
public interface IActivityLogRetention
{
    /// <summary>Places <paramref name="hold"/> and appends <paramref name="record"/> with it.</summary>
    /// <param name="hold">The hold.</param>
    /// <param name="record">The record of placing it.</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>The hold as stored and the stored record.</returns>
    /// <exception cref="ArgumentException">A hold of that name is in place (names <c>hold</c>).</exception>
    ValueTask<(ActivityLegalHold Hold, ActivityRecord Record)> PlaceHoldAsync(ActivityLegalHold hold, ActivityRecord record, CancellationToken cancellationToken = default);

    /// <summary>Releases the hold named <paramref name="name"/> and appends <paramref name="record"/> with it.</summary>
    /// <param name="name">The hold's name.</param>
    /// <param name="record">The record of releasing it.</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>The stored record, or null when no such hold was in place (nothing is written).</returns>
    ValueTask<ActivityRecord?> ReleaseHoldAsync(string name, ActivityRecord record, CancellationToken cancellationToken = default);

    /// <summary>The holds in place, by name.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The holds.</returns>
    ValueTask<IReadOnlyList<ActivityLegalHold>> ListHoldsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes up to <paramref name="maxRecords"/> records that <paramref name="window"/> allows and no hold covers (whole
    /// partitions may go beyond it), oldest sequences first, and appends the record <paramref name="describe"/> makes of
    /// what goes — all in one transaction. Nothing is written when nothing is old enough.
    /// </summary>
    /// <param name="window">What may go.</param>
    /// <param name="maxRecords">The most records to remove row by row in this transaction.</param>
    /// <param name="describe">Makes the record of the purge from what it removes.</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>What was removed, and the stored record of it; null when nothing was.</returns>
    ValueTask<(ActivityPurgeSummary Summary, ActivityRecord Record)?> PurgeAsync(ActivityPurgeWindow window, int maxRecords,
        Func<ActivityPurgeSummary, ActivityRecord> describe, CancellationToken cancellationToken = default);
}
