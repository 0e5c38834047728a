namespace AuditGen.Storage;

/// <summary>
/// A store that keeps data subjects' keys in a table of its own, in the same database as the log, so that erasing a subject
/// (deleting their key) and the record of it commit together. Every shipped store implements it. Stores also count, in the
/// transaction of each append, the values sealed under each key, so erasure reports them without reading the log.
/// </summary>
public interface IActivitySubjectKeyStore
{
    /// <summary>The subject's current key, or null when they have none (never had one, or were erased).</summary>
    /// <param name="subjectId">The subject.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The wrapped key, or null.</returns>
    ValueTask<ActivitySubjectKey?> FindSubjectKeyAsync(Guid subjectId, CancellationToken cancellationToken = default);

    /// <summary>The keys of <paramref name="keyIds"/> that exist (erased ones are simply missing).</summary>
    /// <param name="keyIds">Key ids, as sealed values name them.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The keys found.</returns>
    ValueTask<IReadOnlyList<ActivitySubjectKey>> FindKeysAsync(IReadOnlyCollection<Guid> keyIds, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="key"/> unless its subject already has a key; returns the subject's key as stored (the existing one wins a race).</summary>
    /// <param name="key">A new key.</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>The subject's key.</returns>
    ValueTask<ActivitySubjectKey> AddSubjectKeyAsync(ActivitySubjectKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the subject's keys and appends the record <paramref name="describe"/> makes from the number of values sealed
    /// under them — in one transaction, and constant time in that number. Refuses (nothing written) when a legal hold covers
    /// the subject (a hold on them as actor or owner).
    /// </summary>
    /// <param name="subjectId">The subject.</param>
    /// <param name="describe">Makes the record of the erasure from the count of values that became unreadable.</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>The stored record.</returns>
    /// <exception cref="ActivitySubjectHeldException">A legal hold covers the subject.</exception>
    ValueTask<ActivityRecord> EraseSubjectAsync(Guid subjectId, Func<long, ActivityRecord> describe, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> keys with ids greater than <paramref name="after"/>, by key id (for re-wrapping).</summary>
    /// <param name="after">The last key id of the previous page, or <see cref="Guid.Empty"/>.</param>
    /// <param name="limit">The most keys.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The keys.</returns>
    ValueTask<IReadOnlyList<ActivitySubjectKey>> ListKeysAsync(Guid after, int limit, CancellationToken cancellationToken = default);

    /// <summary>Replaces the wrapped bytes and key-encryption key id of each key (by key id) in one transaction; records are not touched.</summary>
    /// <param name="keys">The re-wrapped keys.</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>How many keys were updated (erased meanwhile ones are skipped).</returns>
    ValueTask<int> ReplaceWrappedKeysAsync(IReadOnlyList<ActivitySubjectKey> keys, CancellationToken cancellationToken = default);
}
