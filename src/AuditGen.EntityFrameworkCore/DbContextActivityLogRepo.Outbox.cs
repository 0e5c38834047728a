using System.Data.Common;
using AuditGen.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// The log as its own outbox (<see cref="IActivityLogOutbox"/>) and by record id (<see cref="IActivityRecordLookup"/>), read through the context's connection with the SQL of the
/// SQLite and PostgreSQL adapters: the relay resolves the store in a scope of its own per batch, so each batch has a fresh
/// context. The relays' table is part of the log's schema (excluded from EF migrations, like the log's table).
/// </summary>
public sealed partial class DbContextActivityLogRepo<TContext>
{
    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ActivityRecord>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default) =>
        OnConnectionAsync((dialect, connection, ct) => dialect.ReadAfterAsync(connection, sequence, limit, ct), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Integrity.ActivityLeaf>> ReadLeavesAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default) =>
        OnConnectionAsync((dialect, connection, ct) => dialect.ReadLeavesAfterAsync(connection, sequence, limit, ct), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ActivityRecord?> FindAsync(Guid recordId, CancellationToken cancellationToken = default) =>
        OnConnectionAsync((dialect, connection, ct) => dialect.FindAsync(connection, recordId, ct), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> LastSequenceAsync(CancellationToken cancellationToken = default) =>
        OnConnectionAsync(static (dialect, connection, ct) => dialect.LastSequenceAsync(connection, ct), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long?> TryLeaseAsync(string relay, string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
        OnConnectionAsync((dialect, connection, ct) => dialect.TryLeaseAsync(connection, relay, holder, duration, ct), cancellationToken, writes: true);

    /// <inheritdoc/>
    public ValueTask<bool> CheckpointAsync(string relay, string holder, long sequence, TimeSpan duration, CancellationToken cancellationToken = default) =>
        OnConnectionAsync((dialect, connection, ct) => dialect.CheckpointAsync(connection, relay, holder, sequence, duration, ct), cancellationToken, writes: true);

    /// <summary>
    /// Runs one outbox step on the context's connection, opened for it, outside any transaction of the context; a step that
    /// <paramref name="writes"/> (a lease, a checkpoint) takes the writer's turn like the store's transactions.
    /// </summary>
    private async ValueTask<T> OnConnectionAsync<T>(Func<ActivityLogDialect, DbConnection, CancellationToken, ValueTask<T>> step, CancellationToken cancellationToken,
        bool writes = false)
    {
        DatabaseFacade database = _context.Database;
        if (database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException(
                "The activity log is read as an outbox outside the context's transaction: the relay uses a context of its own (a scope per batch).");
        }

        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        IDisposable? turn = writes ? await Dialect().EnterWriterAsync(database.GetDbConnection(), cancellationToken).ConfigureAwait(false) : null;
        try
        {
            await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await step(Dialect(), database.GetDbConnection(), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            turn?.Dispose();
        }
    }
}
