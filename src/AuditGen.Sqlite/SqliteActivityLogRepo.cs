using System.Data.Common;
using System.Text;
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
        Metadata = ActivityMetadataJson.Deserialize(reader.GetFieldValue<byte[]>(8)), // the UTF-8 as stored: no string to decode and encode again
        TraceId = reader.IsDBNull(9) ? null : reader.GetString(9),
        SpanId = reader.IsDBNull(10) ? null : reader.GetString(10),
        Changes = reader.IsDBNull(11) ? [] : ActivityChangesJson.Deserialize(reader.GetFieldValue<byte[]>(11)),
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
