using System.ComponentModel;
using System.Data.Common;

namespace AuditGen.Storage;

/// <summary>
/// The store's side of a unit of work on an application's own <see cref="DbTransaction"/>: records are validated and written
/// inside it by the adapter's <c>append</c>, <see cref="CommitAsync"/> commits it, and disposing leaves it to the application
/// (which disposes, and so rolls back, what it did not commit). For adapters that implement <see cref="IActivityLogEnlistment"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class EnlistedTransaction : IActivityLogTransaction
{
    private readonly DbTransaction _transaction;
    private readonly Func<ActivityRecord, CancellationToken, ValueTask<ActivityRecord>> _append;
    private readonly Func<ActivityRecord, CancellationToken, ValueTask<ActivityRecord>>? _appendAndCommit;

    /// <summary>Joins <paramref name="transaction"/>.</summary>
    /// <param name="transaction">The application's open transaction.</param>
    /// <param name="append">Writes one validated record inside the transaction and returns it as stored.</param>
    public EnlistedTransaction(DbTransaction transaction, Func<ActivityRecord, CancellationToken, ValueTask<ActivityRecord>> append)
        : this(transaction, append, appendAndCommit: null)
    {
    }

    /// <summary>Joins <paramref name="transaction"/>, with a write that can carry the commit in the same round trip.</summary>
    /// <param name="transaction">The application's open transaction.</param>
    /// <param name="append">Writes one validated record inside the transaction and returns it as stored.</param>
    /// <param name="appendAndCommit">
    /// Writes one validated record and commits the transaction in one round trip (<see cref="AppendAndCommitAsync"/>); null to
    /// append, then commit.
    /// </param>
    public EnlistedTransaction(DbTransaction transaction, Func<ActivityRecord, CancellationToken, ValueTask<ActivityRecord>> append,
        Func<ActivityRecord, CancellationToken, ValueTask<ActivityRecord>>? appendAndCommit)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(append);
        _transaction = transaction;
        _append = append;
        _appendAndCommit = appendAndCommit;
    }

    /// <inheritdoc/>
    public ValueTask<ActivityRecord> AppendAsync(ActivityRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        return _append(record, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask CommitAsync(CancellationToken cancellationToken) => new(_transaction.CommitAsync(cancellationToken));

    /// <inheritdoc/>
    public async ValueTask<ActivityRecord> AppendAndCommitAsync(ActivityRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        if (_appendAndCommit is not null)
        {
            return await _appendAndCommit(record, cancellationToken).ConfigureAwait(false);
        }

        ActivityRecord stored = await _append(record, cancellationToken).ConfigureAwait(false);
        await _transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return stored;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
