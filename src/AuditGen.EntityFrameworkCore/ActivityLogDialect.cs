using System.Data.Common;
using AuditGen.PostgreSql;
using AuditGen.Sqlite;
using AuditGen.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// The database-specific work of the EF Core store, done by the ADO.NET adapters on the context's connection: the SQL,
/// the append lock and the schema have one home each, and records are identical to those adapters'.
/// </summary>
internal abstract class ActivityLogDialect
{
    public static ActivityLogDialect For(DbConnection connection, string schema, TimeProvider clock) => connection switch
    {
        SqliteConnection => new Sqlite(clock),
        NpgsqlConnection => new PostgreSql(schema, clock),
        _ => throw new NotSupportedException(
            $"The EF Core activity log stores records in SQLite or PostgreSQL; this context's connection is a {connection.GetType().Name}."),
    };

    /// <summary>
    /// Whether the record's write can carry the commit in the same round trip (<see cref="IActivityLogTransaction.AppendAndCommitAsync"/>):
    /// on PostgreSQL, where each round trip is a network wait; SQLite commits in process.
    /// </summary>
    public virtual bool PipelinesCommit => false;

    /// <summary>Writes records inside the context's transaction.</summary>
    public abstract IActivityLogTransaction Enlist(DbTransaction transaction);

    /// <summary>
    /// The subject keys of personal data, in the same database as the log (its <c>auditgen_subject_keys</c> table): the
    /// ADO.NET adapter on the context's connection string, which erases a key and appends the erasure's record in one
    /// transaction of its own.
    /// </summary>
    public abstract IActivitySubjectKeyStore SubjectKeys(string connectionString);

    /// <summary>
    /// Adds a subject key while the context's transaction is open: SQLite takes one writer, so the key is written in that
    /// transaction (a second connection would wait for it forever); PostgreSQL writes it through <paramref name="keys"/>.
    /// </summary>
    public virtual ValueTask<ActivitySubjectKey> AddSubjectKeyAsync(IActivitySubjectKeyStore keys, DbTransaction transaction, ActivitySubjectKey key,
        CancellationToken cancellationToken) => keys.AddSubjectKeyAsync(key, cancellationToken);

    /// <summary>Whether <see cref="AddSubjectKeyAsync"/> writes the key inside <paramref name="transaction"/> (which may still roll back).</summary>
    public virtual bool WritesKeysIn(DbTransaction transaction) => false;

    /// <summary>
    /// Waits for this process's turn to write, where the database takes one writer at a time (SQLite: <see cref="SqliteWriterGate"/>);
    /// disposing the result ends the turn. Null where writers run concurrently (PostgreSQL).
    /// </summary>
    public virtual ValueTask<IDisposable?> EnterWriterAsync(DbConnection connection, CancellationToken cancellationToken) => new((IDisposable?)null);

    /// <summary>Answers a query on the context's open connection, inside its transaction if it has one.</summary>
    public abstract ValueTask<ActivityPage> QueryAsync(DbConnection connection, DbTransaction? transaction, ActivityQuery query, CancellationToken cancellationToken);

    /// <summary>Counts per action on the context's open connection, inside its transaction if it has one.</summary>
    public abstract ValueTask<ActivitySummary> SummarizeAsync(DbConnection connection, DbTransaction? transaction, ActivitySummaryQuery query, CancellationToken cancellationToken);

    /// <summary>Creates or migrates the log's schema on the context's open connection, outside any transaction.</summary>
    public abstract Task MigrateAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Whether the log's schema is current, read inside the context's transaction.</summary>
    public abstract Task<bool> SchemaIsCurrentAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>The outbox's records after a sequence, on the context's open connection, outside any transaction.</summary>
    public abstract ValueTask<IReadOnlyList<ActivityRecord>> ReadAfterAsync(DbConnection connection, long sequence, int limit, CancellationToken cancellationToken);

    /// <summary>The outbox's leaves after a sequence (as stored, computed for rows without one), on the context's open connection.</summary>
    public abstract ValueTask<IReadOnlyList<Integrity.ActivityLeaf>> ReadLeavesAfterAsync(DbConnection connection, long sequence, int limit, CancellationToken cancellationToken);

    /// <summary>One record by id, on the context's open connection.</summary>
    public abstract ValueTask<ActivityRecord?> FindAsync(DbConnection connection, Guid recordId, CancellationToken cancellationToken);

    /// <summary>The newest sequence, on the context's open connection.</summary>
    public abstract ValueTask<long> LastSequenceAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Takes or renews a relay's lease, on the context's open connection, outside any transaction.</summary>
    public abstract ValueTask<long?> TryLeaseAsync(DbConnection connection, string relay, string holder, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Moves a relay's checkpoint, on the context's open connection, outside any transaction.</summary>
    public abstract ValueTask<bool> CheckpointAsync(DbConnection connection, string relay, string holder, long sequence, TimeSpan duration, CancellationToken cancellationToken);

    private sealed class Sqlite(TimeProvider clock) : ActivityLogDialect
    {
        private readonly SqliteActivityLogRepo _repo = SqliteActivityLogRepo.ForConnections(clock);

        public override IActivityLogTransaction Enlist(DbTransaction transaction) => _repo.Enlist(transaction);

        public override IActivitySubjectKeyStore SubjectKeys(string connectionString) =>
            new SqliteActivityLogRepo(new SqliteActivityLogOptions { ConnectionString = connectionString, CreateSchema = false }, clock); // the EF store migrates

        public override async ValueTask<ActivitySubjectKey> AddSubjectKeyAsync(IActivitySubjectKeyStore keys, DbTransaction transaction, ActivitySubjectKey key,
            CancellationToken cancellationToken) =>
            await SqliteActivityLogRepo.AddSubjectKeyAsync((SqliteConnection)transaction.Connection!, (SqliteTransaction)transaction, key, cancellationToken).ConfigureAwait(false);

        public override bool WritesKeysIn(DbTransaction transaction) => true;

        public override ValueTask<IDisposable?> EnterWriterAsync(DbConnection connection, CancellationToken cancellationToken) =>
            SqliteWriterGate.EnterAsync((SqliteConnection)connection, cancellationToken);

        public override ValueTask<ActivityPage> QueryAsync(DbConnection connection, DbTransaction? transaction, ActivityQuery query, CancellationToken cancellationToken) =>
            SqliteActivityLogRepo.QueryAsync((SqliteConnection)connection, (SqliteTransaction?)transaction, query, cancellationToken);

        public override ValueTask<ActivitySummary> SummarizeAsync(DbConnection connection, DbTransaction? transaction, ActivitySummaryQuery query, CancellationToken cancellationToken) =>
            SqliteActivityLogRepo.SummarizeAsync((SqliteConnection)connection, (SqliteTransaction?)transaction, query, cancellationToken);

        public override Task MigrateAsync(DbConnection connection, CancellationToken cancellationToken) =>
            SqliteSchema.MigrateAsync((SqliteConnection)connection, cancellationToken);

        public override Task<bool> SchemaIsCurrentAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
            SqliteSchema.IsCurrentAsync((SqliteConnection)connection, (SqliteTransaction)transaction, cancellationToken);

        public override ValueTask<IReadOnlyList<ActivityRecord>> ReadAfterAsync(DbConnection connection, long sequence, int limit, CancellationToken cancellationToken) =>
            SqliteActivityLogRepo.ReadAfterAsync((SqliteConnection)connection, sequence, limit, cancellationToken);

        public override ValueTask<long> LastSequenceAsync(DbConnection connection, CancellationToken cancellationToken) =>
            SqliteActivityLogRepo.LastSequenceAsync((SqliteConnection)connection, cancellationToken);

        public override ValueTask<IReadOnlyList<Integrity.ActivityLeaf>> ReadLeavesAfterAsync(DbConnection connection, long sequence, int limit, CancellationToken cancellationToken) =>
            SqliteActivityLogRepo.ReadLeavesAfterAsync((SqliteConnection)connection, sequence, limit, cancellationToken);

        public override ValueTask<ActivityRecord?> FindAsync(DbConnection connection, Guid recordId, CancellationToken cancellationToken) =>
            SqliteActivityLogRepo.FindAsync((SqliteConnection)connection, recordId, cancellationToken);

        public override ValueTask<long?> TryLeaseAsync(DbConnection connection, string relay, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
            _repo.TryLeaseAsync((SqliteConnection)connection, relay, holder, duration, cancellationToken);

        public override ValueTask<bool> CheckpointAsync(DbConnection connection, string relay, string holder, long sequence, TimeSpan duration, CancellationToken cancellationToken) =>
            _repo.CheckpointRelayAsync((SqliteConnection)connection, relay, holder, sequence, duration, cancellationToken);
    }

    private sealed class PostgreSql(string schema, TimeProvider clock) : ActivityLogDialect
    {
        private readonly PostgreSqlActivityLogRepo _repo = PostgreSqlActivityLogRepo.ForConnections(schema, clock);

        public override bool PipelinesCommit => true;

        public override IActivityLogTransaction Enlist(DbTransaction transaction) => _repo.Enlist(transaction);

        public override IActivitySubjectKeyStore SubjectKeys(string connectionString) =>
            new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = connectionString, Schema = schema, CreateSchema = false }, clock);

        public override ValueTask<ActivityPage> QueryAsync(DbConnection connection, DbTransaction? transaction, ActivityQuery query, CancellationToken cancellationToken) =>
            _repo.QueryAsync((NpgsqlConnection)connection, (NpgsqlTransaction?)transaction, query, cancellationToken);

        public override ValueTask<ActivitySummary> SummarizeAsync(DbConnection connection, DbTransaction? transaction, ActivitySummaryQuery query, CancellationToken cancellationToken) =>
            _repo.SummarizeAsync((NpgsqlConnection)connection, (NpgsqlTransaction?)transaction, query, cancellationToken);

        public override Task MigrateAsync(DbConnection connection, CancellationToken cancellationToken) =>
            _repo.MigrateAsync((NpgsqlConnection)connection, cancellationToken);

        public override Task<bool> SchemaIsCurrentAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
            _repo.SchemaIsCurrentAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, cancellationToken);

        public override ValueTask<IReadOnlyList<ActivityRecord>> ReadAfterAsync(DbConnection connection, long sequence, int limit, CancellationToken cancellationToken) =>
            _repo.ReadAfterAsync((NpgsqlConnection)connection, sequence, limit, cancellationToken);

        public override ValueTask<long> LastSequenceAsync(DbConnection connection, CancellationToken cancellationToken) =>
            _repo.LastSequenceAsync((NpgsqlConnection)connection, cancellationToken);

        public override ValueTask<IReadOnlyList<Integrity.ActivityLeaf>> ReadLeavesAfterAsync(DbConnection connection, long sequence, int limit, CancellationToken cancellationToken) =>
            _repo.ReadLeavesAfterAsync((NpgsqlConnection)connection, sequence, limit, cancellationToken);

        public override ValueTask<ActivityRecord?> FindAsync(DbConnection connection, Guid recordId, CancellationToken cancellationToken) =>
            _repo.FindAsync((NpgsqlConnection)connection, recordId, cancellationToken);

        public override ValueTask<long?> TryLeaseAsync(DbConnection connection, string relay, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
            _repo.TryLeaseAsync((NpgsqlConnection)connection, relay, holder, duration, cancellationToken);

        public override ValueTask<bool> CheckpointAsync(DbConnection connection, string relay, string holder, long sequence, TimeSpan duration, CancellationToken cancellationToken) =>
            _repo.CheckpointAsync((NpgsqlConnection)connection, relay, holder, sequence, duration, cancellationToken);
    }
}
