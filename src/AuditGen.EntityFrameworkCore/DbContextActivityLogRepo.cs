using System.Data.Common;
using AuditGen.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// The activity log in the application's own <see cref="DbContext"/> (SQLite or PostgreSQL): records are written on the
/// context's connection, inside its transaction, so a logged use case's <c>SaveChanges</c> and its record commit together
/// or not at all. Scoped like the context.
/// </summary>
/// <remarks>
/// <para>
/// The generated code of a logged use case begins the unit of work (<see cref="BeginTransactionAsync"/>) before the use case
/// runs: it begins a transaction on the context, or joins the one the application already began (which the application
/// then commits). The use case's <c>SaveChanges</c> writes inside it; the record is appended last, and the transaction
/// commits. A use case that throws, a failing append, a vetoing hook (by default) or a crash leaves neither.
/// </para>
/// <para>
/// On SQLite, which has one writer at a time, the transactions this store begins queue in the process for their turn
/// (from begin to dispose) instead of sleeping in SQLite's busy handler.
/// </para>
/// <para>
/// The table, its indexes and its append-only triggers are those of the SQLite and PostgreSQL adapters (the same SQL,
/// the same schema version), created on first use unless <see cref="EntityFrameworkCoreActivityLogOptions.CreateSchema"/>
/// is off: records are identical to theirs, and either adapter can read the log. Map it into the model with
/// <see cref="Microsoft.EntityFrameworkCore.ActivityLogModelBuilderExtensions.MapActivityLog"/> to query it with LINQ; it is excluded from EF migrations.
/// </para>
/// </remarks>
/// <typeparam name="TContext">The application's context.</typeparam>
public sealed partial class DbContextActivityLogRepo<TContext> : ITransactionalActivityLogRepo, IActivityLogOutbox, IActivityRecordLookup
    where TContext : DbContext
{
    private readonly TContext _context;
    private readonly DbContextActivityLogState _state;

    /// <summary>Stores records through <paramref name="context"/>.</summary>
    /// <param name="context">The application's context (of this scope).</param>
    /// <param name="options">Schema settings; the defaults when null.</param>
    /// <param name="clock">Stamps records without <see cref="ActivityRecord.OccurredAt"/>; <see cref="TimeProvider.System"/> when null.</param>
    public DbContextActivityLogRepo(TContext context, EntityFrameworkCoreActivityLogOptions? options = null, TimeProvider? clock = null)
        : this(context, new DbContextActivityLogState(options ?? new EntityFrameworkCoreActivityLogOptions(), clock ?? TimeProvider.System))
    {
    }

    internal DbContextActivityLogRepo(TContext context, DbContextActivityLogState state)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _state = state;
    }

    /// <summary>The context records are written through.</summary>
    public TContext Context => _context;

    /// <summary>
    /// Appends one record through the context: inside the context's current transaction if it has one (it then commits
    /// with it), otherwise in a transaction of its own.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>The record as stored.</returns>
    public async ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        await using IActivityLogTransaction transaction = await BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        ActivityRecord stored = await transaction.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return AppendResult.Appended(stored);
    }

    /// <inheritdoc/>
    public async ValueTask<IActivityLogTransaction> BeginTransactionAsync(CancellationToken cancellationToken)
    {
        DatabaseFacade database = _context.Database;
        if (database.CurrentTransaction is { } current)
        {
            DbTransaction transaction = current.GetDbTransaction();
            await _state.Schema.CheckAsync(ct => Dialect().SchemaIsCurrentAsync(database.GetDbConnection(), transaction, ct), cancellationToken)
                .ConfigureAwait(false);
            return new Transaction(Dialect().Enlist(transaction), owned: null, restore: null, StartCapture());
        }

        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        IDisposable? turn = await Dialect().EnterWriterAsync(database.GetDbConnection(), cancellationToken).ConfigureAwait(false);
        try
        {
            IDbContextTransaction owned = await database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            bool savepoints = database.AutoSavepointsEnabled;
            database.AutoSavepointsEnabled = savepoints && _state.Options.AutoSavepoints;
            return new Transaction(Dialect().Enlist(owned.GetDbTransaction()), owned, () =>
            {
                database.AutoSavepointsEnabled = savepoints;
                turn?.Dispose();
            }, StartCapture(), Dialect().PipelinesCommit);
        }
        catch
        {
            turn?.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return ReadAsync((dialect, connection, transaction, ct) => dialect.QueryAsync(connection, transaction, query, ct), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<ActivitySummary> SummarizeAsync(ActivitySummaryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return ReadAsync((dialect, connection, transaction, ct) => dialect.SummarizeAsync(connection, transaction, query, ct), cancellationToken);
    }

    /// <summary>
    /// Runs a read on the context's connection, opened for it, inside the context's transaction when it has one (so a use
    /// case reads its own uncommitted records); the schema is checked first when there is none.
    /// </summary>
    private async ValueTask<T> ReadAsync<T>(Func<ActivityLogDialect, DbConnection, DbTransaction?, CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        DatabaseFacade database = _context.Database;
        if (database.CurrentTransaction is null)
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        }

        await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await read(Dialect(), database.GetDbConnection(), database.CurrentTransaction?.GetDbTransaction(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens the change capture on the context for this unit of work; null when capture is off. A unit of work that joins
    /// another's shares its capture, and only the one that opened it closes it.
    /// </summary>
    private Capture? StartCapture()
    {
        if (_state.Plans is not { } plans)
        {
            return null;
        }

        DbContextChangeCapture capture = DbContextChangeCapture.Start(_context, plans, out bool started);
        return new Capture(capture, started ? _context : null);
    }

    private ActivityLogDialect Dialect() => _state.Dialect(_context.Database.GetDbConnection());

    private ValueTask EnsureSchemaAsync(CancellationToken cancellationToken) =>
        _state.Schema.EnsureAsync(ct => ActivityLogDatabaseFacadeExtensions.MigrateAsync(_context.Database, Dialect(), ct), cancellationToken);

    /// <summary>
    /// Appends on the context's transaction; commits and disposes it through EF Core when it began it, then gives the
    /// context its savepoint setting back and ends the writer's turn.
    /// </summary>
    private sealed class Transaction(IActivityLogTransaction enlisted, IDbContextTransaction? owned, Action? restore, Capture? capture, bool pipelinesCommit = false)
        : IActivityLogTransaction, IActivityChangeCapture
    {
        public ActivityRecord AttachChanges(ActivityRecord record) =>
            capture is not null ? capture.Changes.AttachTo(record)
            : record.EntityRef.EntityId == CapturedEntityId.Placeholder ? throw new InvalidOperationException(
                $"'{record.Action}' takes its entity id from the key the database generates, but change capture is off (ChangeCaptureOptions.Enabled): return the id, or mark its source with [EntityId].")
            : record;

        public ValueTask<ActivityRecord> AppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            enlisted.AppendAsync(record, cancellationToken);

        /// <summary>
        /// Where this unit of work began the transaction, the adapter writes the record and commits in one round trip
        /// (PostgreSQL: <c>COMMIT</c> in the insert's batch); the database transaction is then complete, and disposing the
        /// context's transaction releases it without a rollback. Where it joined the application's, only the record is written.
        /// </summary>
        public async ValueTask<ActivityRecord> AppendAndCommitAsync(ActivityRecord record, CancellationToken cancellationToken)
        {
            if (owned is null)
            {
                return await enlisted.AppendAsync(record, cancellationToken).ConfigureAwait(false);
            }

            if (!pipelinesCommit)
            {
                ActivityRecord stored = await enlisted.AppendAsync(record, cancellationToken).ConfigureAwait(false);
                await owned.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return stored;
            }

            return await enlisted.AppendAndCommitAsync(record, cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            if (owned is not null)
            {
                await owned.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (owned is not null)
                {
                    await owned.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                if (capture?.OpenedOn is { } context)
                {
                    DbContextChangeCapture.Stop(context);
                }

                restore?.Invoke(); // the savepoint setting, and the writer's turn
            }
        }
    }

    /// <summary>A unit of work's change capture; <paramref name="OpenedOn"/> is the context when this unit of work opened it (and so closes it).</summary>
    private sealed record Capture(DbContextChangeCapture Changes, DbContext? OpenedOn);
}
