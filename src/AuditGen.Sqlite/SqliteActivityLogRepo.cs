using System.Data.Common;
using System.Text;
using AuditGen.Integrity;
using AuditGen.Storage;
using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite;

/// <summary>
/// The SQLite adapter of <see cref="IActivityLogRepo"/>: the embedded, durable default.
/// </summary>
/// <remarks>
/// <para>
/// The database is in WAL mode with <c>synchronous=FULL</c> unless <see cref="SqliteActivityLogOptions.Durability"/>
/// says otherwise, so an acknowledged append survives a crash. Triggers reject <c>UPDATE</c> and <c>DELETE</c> on the
/// table, whoever connects. Each query shape (entity, actor, owner, action) has an index ending in the sequence, so
/// every query is an index seek followed by at most limit + 1 rows.
/// </para>
/// <para>
/// Appends go through one writer connection with a prepared statement (SQLite has one writer at a time anyway);
/// queries use pooled connections and never wait for the writer. The schema is created and migrated on first use,
/// inside <c>BEGIN IMMEDIATE</c>, so two processes starting at once migrate it once.
/// </para>
/// </remarks>
public sealed partial class SqliteActivityLogRepo : IActivityLogRepo, IActivityLogEnlistment, IActivityLogSchema, IActivityLogOutbox, IActivityRecordLookup, IActivitySubjectKeyStore, IActivityLogLocation, IAsyncDisposable, IDisposable
{
    private const string Columns = "sequence, record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata, trace_id, span_id, changes";
    private static readonly string[] InsertParameters =
        ["$sequence", "$record_id", "$actor_id", "$owner_id", "$action", "$entity_type", "$entity_id", "$occurred_at", "$metadata", "$trace_id", "$span_id", "$changes", "$leaf"];
    private static readonly string InsertSql =
        "INSERT INTO activity_records (sequence, record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata, trace_id, span_id, changes, leaf) " +
        $"VALUES ({string.Join(", ", InsertParameters)})";

    /// <summary>
    /// The newest sequence ever given (AUTOINCREMENT's <c>sqlite_sequence</c>, so a purged end is not reused), read inside the
    /// write transaction: the records that follow take the next ones, so their leaves are computed before they are inserted.
    /// </summary>
    private const string LastSequenceSql =
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'activity_records'), 0), coalesce((SELECT max(sequence) FROM activity_records), 0))";

    private readonly SqliteActivityLogOptions _options;
    private readonly string _connectionString;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly SchemaGate _schema;
    private SqliteConnection? _writeConnection;
    private SqliteCommand? _insert;
    private SqliteCommand? _lastSequence;
    private SqliteCommand? _countSealed;
    private bool _disposed;

    /// <summary>Single appends that arrive while a commit is in flight share the next one (one fsync for the group).</summary>
    private readonly ActivityGroupCommit _group;
    private long _appendsSinceCheckpoint;

    /// <summary>Appends between the writer's own restarting checkpoints (SQLite's automatic ones are passive).</summary>
    private const int CheckpointInterval = 500; // ~8 pages (~34 KB) of WAL per single append: about 17 MB between restarts

    /// <summary>
    /// How long the writer's restarting checkpoint waits for readers of older snapshots (SQLite's busy timeout on the
    /// writer connection); when they outlast it, the next interval tries again.
    /// </summary>
    private const int CheckpointWaitMilliseconds = 100;

    /// <summary>What a reset WAL file is truncated back to, at most (64 MiB).</summary>
    private const long WalSizeLimit = 64L * 1024 * 1024;

    /// <summary>Opens (and on first use creates) the log in the database the options name.</summary>
    /// <param name="options">The connection string, durability and schema settings.</param>
    /// <param name="clock">Stamps records without <see cref="ActivityRecord.OccurredAt"/>; <see cref="TimeProvider.System"/> when null.</param>
    public SqliteActivityLogRepo(SqliteActivityLogOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options.ConnectionString));
        _options = options;
        _connectionString = new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = true }.ToString();
        _clock = clock ?? TimeProvider.System;
        _schema = new SchemaGate(MigrateAsync, options.CreateSchema);
        _group = new ActivityGroupCommit((records, ct) => AppendCoreAsync(records, "record", ct));
    }

    /// <summary>An adapter that only works on connections it is handed (the EF Core store's): <see cref="Enlist"/>.</summary>
    internal static SqliteActivityLogRepo ForConnections(TimeProvider? clock) =>
        new(new SqliteActivityLogOptions { ConnectionString = "Data Source=:memory:", CreateSchema = false }, clock);

    /// <summary>Opens (and on first use creates) the log in <paramref name="connectionString"/>, with full durability.</summary>
    /// <param name="connectionString">Such as <c>Data Source=audit.db</c>.</param>
    /// <param name="clock">Stamps records without <see cref="ActivityRecord.OccurredAt"/>.</param>
    public SqliteActivityLogRepo(string connectionString, TimeProvider? clock = null)
        : this(new SqliteActivityLogOptions { ConnectionString = connectionString }, clock)
    {
    }

    /// <inheritdoc/>
    public async ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return AppendResult.Appended(await _group.AppendAsync(record, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Appends records in one transaction with one prepared statement: all are stored, in order, or none. Every record is
    /// validated before anything is written.
    /// </summary>
    /// <param name="records">The records, in the order their sequences will follow.</param>
    /// <param name="cancellationToken">Cancels the batch before it commits.</param>
    /// <returns>The stored records, stamped and sequenced.</returns>
    /// <exception cref="ArgumentException">A record is invalid, or repeats a RecordId (within the batch or the log); nothing is stored.</exception>
    public async ValueTask<IReadOnlyList<ActivityRecord>> AppendManyAsync(IEnumerable<ActivityRecord> records, CancellationToken cancellationToken = default)
    {
        ActivityRecord[] batch = ActivityBatch.Validate(records, nameof(records));
        return batch.Length == 0 ? [] : await AppendCoreAsync(batch, nameof(records), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<IReadOnlyList<ActivityRecord>> AppendCoreAsync(ActivityRecord[] records, string paramName, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SqliteCommand insert = await PrepareWriterAsync(cancellationToken).ConfigureAwait(false);
            var stored = new ActivityRecord[records.Length];
            using SqliteTransaction transaction = _writeConnection!.BeginTransaction(); // IMMEDIATE: the sequences read are ours
            insert.Transaction = transaction;
            _lastSequence!.Transaction = transaction;
            try
            {
                long sequence = await ReadLastSequenceAsync(_lastSequence, cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < records.Length; i++)
                {
                    stored[i] = await InsertAsync(insert, records[i], ++sequence, cancellationToken).ConfigureAwait(false);
                }

                transaction.Commit();
            }
            catch (SqliteException ex) when (IsDuplicateRecord(ex))
            {
                transaction.Rollback();
                throw ActivityBatch.DuplicateRecord(paramName, ex);
            }
            finally
            {
                insert.Transaction = null;
                _lastSequence.Transaction = null;
            }

            _appendsSinceCheckpoint += stored.Length;
            if (_appendsSinceCheckpoint >= CheckpointInterval)
            {
                await CheckpointAsync(_writeConnection!).ConfigureAwait(false);
            }

            return stored;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Checkpoints and restarts the WAL (waiting for readers of older snapshots to finish), so that a log with readers that
    /// never pause still moves its data into the database file and reuses a WAL of bounded size. Best effort: a busy
    /// database is checkpointed next time.
    /// </summary>
    private async ValueTask CheckpointAsync(SqliteConnection connection)
    {
        _appendsSinceCheckpoint = 0;
        await using SqliteCommand checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(RESTART);"; // waits up to CheckpointWaitMilliseconds for older readers
        await using SqliteDataReader result = await checkpoint.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        while (await result.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            // One row: busy (1 when readers kept it from finishing; the next interval tries again), WAL frames, frames checkpointed.
        }
    }

    private async ValueTask<SqliteCommand> PrepareWriterAsync(CancellationToken cancellationToken)
    {
        if (_insert is not null)
        {
            return _insert;
        }

        _writeConnection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        _lastSequence = _writeConnection.CreateCommand();
        _lastSequence.CommandText = LastSequenceSql;
        _lastSequence.Prepare();
        SqliteCommand insert = CreateInsert(_writeConnection);
        insert.Prepare();
        return _insert = insert;
    }

    /// <summary>The newest sequence given so far (<see cref="LastSequenceSql"/>), inside the command's transaction.</summary>
    private static async ValueTask<long> ReadLastSequenceAsync(SqliteCommand command, CancellationToken cancellationToken) =>
        Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The insert statement with its parameters, typed so it can be prepared.</summary>
    private static SqliteCommand CreateInsert(SqliteConnection connection)
    {
        SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = InsertSql;
        foreach (string name in InsertParameters)
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        insert.Parameters[0].Value = 0L; // types for Prepare
        insert.Parameters[1].Value = Guid.Empty;
        insert.Parameters[2].Value = Guid.Empty;
        insert.Parameters[3].Value = Guid.Empty;
        insert.Parameters[4].Value = "";
        insert.Parameters[5].Value = "";
        insert.Parameters[6].Value = "";
        insert.Parameters[7].Value = 0L;
        insert.Parameters[8].Value = "";
        insert.Parameters[9].Value = "";
        insert.Parameters[10].Value = "";
        insert.Parameters[11].Value = "";
        insert.Parameters[12].Value = Array.Empty<byte>();
        return insert;
    }

    /// <summary>
    /// Inserts one record (stamped from the clock if it has no time) at <paramref name="sequence"/>, with its leaf hash, and
    /// returns it as stored. The caller holds the write transaction in which <paramref name="sequence"/> is the next one.
    /// </summary>
    private async ValueTask<ActivityRecord> InsertAsync(SqliteCommand insert, ActivityRecord record, long sequence, CancellationToken cancellationToken)
    {
        ActivityRecord stored = (record.OccurredAt == default ? record with { OccurredAt = _clock.GetUtcNow() } : record).WithSequence(sequence);
        SqliteParameterCollection p = insert.Parameters;
        p[0].Value = sequence;
        p[1].Value = stored.RecordId;
        p[2].Value = stored.ActorId;
        p[3].Value = stored.OwnerId;
        p[4].Value = stored.Action;
        p[5].Value = stored.EntityRef.EntityType;
        p[6].Value = stored.EntityRef.EntityId;
        p[7].Value = stored.OccurredAt.UtcTicks;
        p[8].Value = ActivityMetadataJson.Serialize(stored.Metadata);
        p[9].Value = (object?)stored.TraceId ?? DBNull.Value;
        p[10].Value = (object?)stored.SpanId ?? DBNull.Value;
        p[11].Value = (object?)ActivityChangesJson.Serialize(stored.Changes) ?? DBNull.Value;
        p[12].Value = ActivityRecordEncoding.LeafHash(stored);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await CountSealedAsync(insert, stored, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>Inserts one record at the next sequence, read inside the insert's (write) transaction.</summary>
    private async ValueTask<ActivityRecord> InsertAsync(SqliteCommand insert, ActivityRecord record, CancellationToken cancellationToken)
    {
        await using SqliteCommand last = insert.Connection!.CreateCommand();
        last.CommandText = LastSequenceSql;
        last.Transaction = insert.Transaction;
        return await InsertAsync(insert, record, await ReadLastSequenceAsync(last, cancellationToken).ConfigureAwait(false) + 1, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsDuplicateRecord(SqliteException ex) => ex.SqliteErrorCode == 19 && ex.Message.Contains("record_id", StringComparison.Ordinal);

    /// <summary>
    /// Joins a transaction the application opened on its own connection to this database (ADO.NET, Dapper, or EF Core's
    /// connection): records appended through the result are written inside it, so they commit or roll back with the
    /// application's change, and its <see cref="IActivityLogTransaction.CommitAsync"/> commits the transaction. Sequences
    /// stay in commit order, since SQLite has one writer at a time.
    /// </summary>
    /// <param name="transaction">An open <see cref="SqliteTransaction"/> on a connection to the log's database file.</param>
    /// <returns>The store's side of the unit of work; wrap it with <see cref="ActivityLog.Enlist"/> to run the hooks.</returns>
    /// <exception cref="ArgumentException">The transaction is not a SQLite transaction, or has no connection.</exception>
    public IActivityLogTransaction Enlist(DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction is not SqliteTransaction { Connection: not null } sqlite)
        {
            throw new ArgumentException(
                $"transaction must be an open Microsoft.Data.Sqlite SqliteTransaction on a connection to the log's database; got {transaction.GetType().Name}.",
                nameof(transaction));
        }

        return new EnlistedTransaction(sqlite, async (record, cancellationToken) =>
        {
            await _schema.CheckAsync(ct => SqliteSchema.IsCurrentAsync(sqlite.Connection!, sqlite, ct), cancellationToken).ConfigureAwait(false);
            await using SqliteCommand insert = CreateInsert(sqlite.Connection!);
            insert.Transaction = sqlite;
            try
            {
                return await InsertAsync(insert, record, cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException ex) when (IsDuplicateRecord(ex))
            {
                throw ActivityBatch.DuplicateRecord(nameof(record), ex);
            }
        });
    }

    /// <inheritdoc/>
    public async ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        long? after = ActivityCursor.Decode(query);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);

        await using SqliteConnection connection = await OpenAsync(cancellationToken, writes: false).ConfigureAwait(false);
        return await ReadPageAsync(connection, transaction: null, query, after, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a query on an open connection of the application's (inside its transaction, if any).</summary>
    internal static async ValueTask<ActivityPage> QueryAsync(SqliteConnection connection, SqliteTransaction? transaction, ActivityQuery query,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return await ReadPageAsync(connection, transaction, query, ActivityCursor.Decode(query), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a validated query (its cursor decoded to <paramref name="after"/>) on an open connection and reads the page.</summary>
    private static async ValueTask<ActivityPage> ReadPageAsync(SqliteConnection connection, SqliteTransaction? transaction, ActivityQuery query, long? after,
        CancellationToken cancellationToken)
    {
        await using SqliteCommand command = BuildQuery(connection, query, after);
        command.Transaction = transaction;
        return await ActivityBatch.ReadPageAsync(command, query, Read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The query's SQL and parameters (<see cref="ActivityBatch.Filters"/>; times as UTC ticks), order, limit + 1.</summary>
    internal static SqliteCommand BuildQuery(SqliteConnection connection, ActivityQuery query, long? after)
    {
        SqliteCommand command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT ").Append(Columns).Append(" FROM activity_records");
        string separator = " WHERE ";
        foreach (ActivityFilter filter in ActivityBatch.Filters(query, after))
        {
            string name = "$p" + command.Parameters.Count;
            command.Parameters.AddWithValue(name, filter.Value is DateTimeOffset at ? at.UtcTicks : filter.Value);
            sql.Append(separator).Append(filter.Column).Append(' ').Append(filter.Operator).Append(' ').Append(name);
            separator = " AND ";
        }

        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        sql.Append(query.Order == ActivityOrder.NewestFirst ? " ORDER BY sequence DESC" : " ORDER BY sequence").Append(" LIMIT $limit");
        command.CommandText = sql.ToString();
        return command;
    }

    private static ActivityRecord Read(DbDataReader reader) => new ActivityRecord
    {
        RecordId = reader.GetGuid(1),
        ActorId = reader.GetGuid(2),
        OwnerId = reader.GetGuid(3),
        Action = reader.GetString(4),
        EntityRef = new EntityRef(reader.GetString(5), reader.GetString(6)),
        OccurredAt = new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero),
        Metadata = ActivityMetadataJson.Deserialize(reader.GetString(8)),
        TraceId = reader.IsDBNull(9) ? null : reader.GetString(9),
        SpanId = reader.IsDBNull(10) ? null : reader.GetString(10),
        Changes = reader.IsDBNull(11) ? [] : ActivityChangesJson.Deserialize(reader.GetString(11)),
    }.WithSequence(reader.GetInt64(0));

    /// <summary>
    /// Opens a pooled connection; one that writes gets this log's durability (<c>synchronous</c> is per connection, WAL
    /// mode is a property of the file, set by the migration).
    /// </summary>
    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken, bool writes = true)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!writes)
        {
            return connection;
        }

        await using SqliteCommand pragma = connection.CreateCommand();
        pragma.CommandText = (_options.Durability == SqliteDurability.Full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;") +
            $" PRAGMA journal_size_limit = {WalSizeLimit}; PRAGMA busy_timeout = {CheckpointWaitMilliseconds};";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _group.DisposeAsync().ConfigureAwait(false); // every joined append written first
        await _writer.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_insert is not null)
            {
                await _insert.DisposeAsync().ConfigureAwait(false);
                await _lastSequence!.DisposeAsync().ConfigureAwait(false);
                if (_countSealed is not null)
                {
                    await _countSealed.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (_writeConnection is not null)
            {
                await _writeConnection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
