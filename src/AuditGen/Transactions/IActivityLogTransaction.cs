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

    /// <summary>
    /// Writes the record and commits, as the last step of a unit of work (<see cref="ActivityTransaction.CompleteAsync"/>): a
    /// store that can send both in one round trip (PostgreSQL: the insert and <c>COMMIT</c> in one batch) does; the default
    /// is <see cref="AppendAsync"/> then <see cref="CommitAsync"/>. A failing commit rolls back the change and the record.
    /// </summary>
    /// <param name="record">The record, already through the before-append hooks.</param>
    /// <param name="cancellationToken">Cancels the write before it commits; the transaction then rolls back.</param>
    /// <returns>The record as stored, committed (when this unit of work began the transaction).</returns>
    async ValueTask<ActivityRecord> AppendAndCommitAsync(ActivityRecord record, CancellationToken cancellationToken)
    {
        ActivityRecord stored = await AppendAsync(record, cancellationToken).ConfigureAwait(false);
        await CommitAsync(CancellationToken.None).ConfigureAwait(false); // a commit in flight is not cancelled: its outcome would be unknown
        return stored;
    }
}
