namespace AuditGen;

/// <summary>
/// A store's side of a unit of work: records appended through it commit or roll back with the application's change,
/// because they are written in the same database transaction. For adapter implementations; applications use
/// <see cref="ActivityTransaction"/>.
/// </summary>
public interface IActivityLogTransaction : IAsyncDisposable
{
    /// <summary>Writes a validated, stamped record inside the transaction.</summary>
    /// <param name="record">The record, already through the before-append hooks.</param>
    /// <param name="cancellationToken">Cancels the write; the transaction then rolls back.</param>
    /// <returns>The record as stored, with its sequence (visible to others once committed).</returns>
    ValueTask<ActivityRecord> AppendAsync(ActivityRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Commits the transaction, with the application's change and the records, when this unit of work began it;
    /// does nothing when it joined a transaction that someone else commits.
    /// </summary>
    /// <param name="cancellationToken">Cancels the commit.</param>
    /// <returns>A task that completes when the commit is durable.</returns>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
