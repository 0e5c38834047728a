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

    /// <summary>Joins <paramref name="transaction"/>.</summary>
    /// <param name="transaction">The application's open transaction.</param>
    /// <param name="append">Writes one validated record inside the transaction and returns it as stored.</param>
    public EnlistedTransaction(DbTransaction transaction, Func<ActivityRecord, CancellationToken, ValueTask<ActivityRecord>> append)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(append);
        _transaction = transaction;
        _append = append;
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
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
