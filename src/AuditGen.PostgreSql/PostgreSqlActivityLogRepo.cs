using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;
using AuditGen.Integrity;
using AuditGen.Storage;
using Npgsql;
using NpgsqlTypes;

namespace AuditGen.PostgreSql;

/// <summary>
/// The PostgreSQL adapter of <see cref="IActivityLogRepo"/>, for logs shared by several processes or machines.
/// </summary>
/// <remarks>
/// <para>
/// Appends take a transaction-level advisory lock, so sequences are assigned in commit order and a reader paging by
/// cursor never skips a record that commits late. The log is partitioned by time (see
/// <see cref="PostgreSqlActivityLogOptions.PartitionMonths"/>); the adapter creates partitions ahead and on demand. Triggers that always fire (even under
/// <c>session_replication_role = replica</c>) reject <c>UPDATE</c>, <c>DELETE</c> and <c>TRUNCATE</c>; with the role setup in
/// docs/postgresql.md the application role cannot even try. Each query shape has an index ending in the sequence.
/// </para>
/// <para>
/// <see cref="ActivityRecord.OccurredAt"/> is stored as <c>timestamptz</c>, which keeps microseconds: the record returned
/// by <see cref="AppendAsync"/> is truncated to microseconds, so it equals what queries read back.
/// </para>
/// </remarks>
public sealed partial class PostgreSqlActivityLogRepo : IActivityLogRepo, IActivityLogEnlistment, IActivityLogSchema, IActivityLogOutbox, IActivityRecordLookup, IActivitySubjectKeyStore, IActivityLogLocation, IAsyncDisposable, IDisposable
{
    private const string InsertColumns = "record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata, trace_id, span_id, changes";
    private const string Columns = "sequence, " + InsertColumns;

    private readonly NpgsqlDataSource? _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _schemaName;
    private readonly string _table;
    private readonly string _lockName;
    private readonly string _insertSql;
    private readonly string _copySql;
    private readonly TimeProvider _clock;
    private readonly SchemaGate _schema;

    /// <summary>Single appends that arrive while a commit is in flight share the next one (one WAL flush for the group).</summary>
    private readonly ActivityGroupCommit _group;

    /// <summary>Connects to the log described by <paramref name="options"/> (created on first use).</summary>
    /// <param name="options">Connection string, schema and migration settings.</param>
    /// <param name="clock">Stamps records without <see cref="ActivityRecord.OccurredAt"/>; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The connection string is empty or the schema name is not a plain identifier.</exception>
    public PostgreSqlActivityLogRepo(PostgreSqlActivityLogOptions options, TimeProvider? clock = null)
        : this(CreateDataSource(options), ownsDataSource: true, options, clock)
    {
    }

    /// <summary>
    /// Uses the application's own <paramref name="dataSource"/> (its pooling, credentials and logging); the data source is
    /// the application's to dispose. <see cref="PostgreSqlActivityLogOptions.ConnectionString"/> is not used.
    /// </summary>
    /// <param name="dataSource">The application's data source.</param>
    /// <param name="options">Schema and migration settings; the defaults when null.</param>
    /// <param name="clock">Stamps records without <see cref="ActivityRecord.OccurredAt"/>; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The schema name is not a plain identifier.</exception>
    public PostgreSqlActivityLogRepo(NpgsqlDataSource dataSource, PostgreSqlActivityLogOptions? options = null, TimeProvider? clock = null)
        : this(dataSource ?? throw new ArgumentNullException(nameof(dataSource)), ownsDataSource: false, options ?? new PostgreSqlActivityLogOptions(), clock)
    {
    }

    private PostgreSqlActivityLogRepo(NpgsqlDataSource? dataSource, bool ownsDataSource, PostgreSqlActivityLogOptions options, TimeProvider? clock)
    {
        if (!Identifier().IsMatch(options.Schema ?? ""))
        {
            throw new ArgumentException($"PostgreSqlActivityLogOptions.Schema '{options.Schema}' must be 1-63 characters of [a-z0-9_], starting with a letter or underscore.", nameof(options));
        }

        if (options.PartitionMonths is < 1 or > 12)
        {
            throw new ArgumentException($"PostgreSqlActivityLogOptions.PartitionMonths must be 1 to 12; was {options.PartitionMonths}.", nameof(options));
        }

        if (options.PartitionsAhead is < 0 or > 24)
        {
            throw new ArgumentException($"PostgreSqlActivityLogOptions.PartitionsAhead must be 0 to 24; was {options.PartitionsAhead}.", nameof(options));
        }

        _schemaName = $"\"{options.Schema}\"";
        _basePath = string.IsNullOrWhiteSpace(options.ConnectionString) ? null : ActivityCheckpointFiles.ForPostgreSql(options.ConnectionString, options.Schema!);
        _partitionMonths = options.PartitionMonths;
        _partitionsAhead = options.PartitionsAhead;
        _table = $"{_schemaName}.activity_records";
        _lockName = $"auditgen.activity_records:{options.Schema}";
        _insertSql = $"INSERT INTO {_table} ({InsertColumns}, leaf) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING sequence";
        _copySql = $"COPY {_table} ({InsertColumns}, leaf) FROM STDIN (FORMAT BINARY)";
        StoredSequencesSql = $"SELECT sequence FROM {_table} WHERE sequence > $1 ORDER BY sequence LIMIT $2";
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _clock = clock ?? TimeProvider.System;
        _schema = new SchemaGate(MigrateAsync, options.CreateSchema);
        _group = new ActivityGroupCommit(WriteGroupAsync);
    }

    /// <summary>
    /// An adapter that only works on connections it is handed (the EF Core store's): <see cref="Enlist"/>, and the internal
    /// query and migration overloads that take a connection. It owns no pool.
    /// </summary>
    internal static PostgreSqlActivityLogRepo ForConnections(string schema, TimeProvider? clock) =>
        new(null, ownsDataSource: false, new PostgreSqlActivityLogOptions { Schema = schema, CreateSchema = false }, clock);

    internal NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("This adapter works only on the connections it is handed.");

    /// <summary>Statements the adapter's own pool keeps prepared per connection, unless the connection string says otherwise.</summary>
    internal const int AutoPrepared = 64;

    /// <summary>
    /// The adapter's own pool. Its statements are few and run on every append, page and poll, so they are prepared on each
    /// connection after their second use (Npgsql's automatic preparation: parse and plan once, not per call) unless the
    /// connection string sets <c>Max Auto Prepare</c> itself. A data source the application hands in is left as it is.
    /// </summary>
    private static NpgsqlDataSource CreateDataSource(PostgreSqlActivityLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options.ConnectionString));
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        if (!SetsAutoPrepare(options.ConnectionString))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPrepared;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        return builder.Build();
    }

    /// <summary>Whether the connection string itself names <c>Max Auto Prepare</c> (in any of its spellings), even as 0.</summary>
    private static bool SetsAutoPrepare(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (string key in given.Keys)
        {
            if (key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Connects to the log in <paramref name="connectionString"/>, schema <c>auditgen</c>.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="clock">Stamps records without <see cref="ActivityRecord.OccurredAt"/>.</param>
    public PostgreSqlActivityLogRepo(string connectionString, TimeProvider? clock = null)
        : this(new PostgreSqlActivityLogOptions { ConnectionString = connectionString }, clock)
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
    /// Writes one group of single appends (<see cref="ActivityGroupCommit"/>) in one transaction: up to
    /// <see cref="SmallGroup"/> records as inserts in one round trip, more with <c>COPY</c>; either way under the append
    /// lock, so sequences follow commit order.
    /// </summary>
    private async ValueTask<IReadOnlyList<ActivityRecord>> WriteGroupAsync(ActivityRecord[] records, CancellationToken cancellationToken)
    {
        if (records.Length > SmallGroup)
        {
            return await AppendManyAsync(records, cancellationToken).ConfigureAwait(false);
        }

        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        (ActivityRecord[] stored, PartitionBounds[] partitions) = await InsertAsync(transaction, records, "record", enlisted: false, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Remember(partitions);
        return stored;
    }

    /// <summary>Up to this many records a group is written as inserts in one round trip; larger groups with <c>COPY</c>.</summary>
    private const int SmallGroup = 32;

    /// <summary>
    /// Takes the append lock and inserts stamped records with one prepared insert each, all in one round trip, inside
    /// <paramref name="transaction"/>; returns them as stored, with their sequences, and the bounds of the partitions asked
    /// for, which exist once the transaction commits. An <paramref name="enlisted"/> transaction (the application's) asks
    /// only for the records' own partitions, and only those not known to exist in its database.
    /// </summary>
    /// <remarks>
    /// With <paramref name="commit"/>, <c>COMMIT</c> ends the same batch: the records and the commit travel in one round trip
    /// (a failing commit, such as a deferred constraint of the application's change, rolls back everything and is thrown here).
    /// </remarks>
    private async ValueTask<(ActivityRecord[] Stored, PartitionBounds[] Partitions)> InsertAsync(NpgsqlTransaction transaction, ActivityRecord[] records,
        string paramName, bool enlisted, CancellationToken cancellationToken, bool commit = false)
    {
        var stamped = new ActivityRecord[records.Length];
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(PostgreSqlSchema.Lock) { Parameters = { new() { Value = _lockName } } });
        for (int i = 0; i < records.Length; i++)
        {
            stamped[i] = Stamp(records[i]);
        }

        int partitions = AddPartitionCommands(batch, stamped, DatabaseOf(transaction.Connection!), enlisted);
        for (int i = 0; i < records.Length; i++)
        {
            ActivityRecord record = stamped[i];
            var insert = new NpgsqlBatchCommand(_insertSql);
            insert.Parameters.Add(new() { Value = record.RecordId });
            insert.Parameters.Add(new() { Value = record.ActorId });
            insert.Parameters.Add(new() { Value = record.OwnerId });
            insert.Parameters.Add(new() { Value = record.Action });
            insert.Parameters.Add(new() { Value = record.EntityRef.EntityType });
            insert.Parameters.Add(new() { Value = record.EntityRef.EntityId });
            insert.Parameters.Add(new() { Value = record.OccurredAt });
            insert.Parameters.Add(new() { Value = ActivityMetadataJson.Serialize(record.Metadata), NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = (object?)record.TraceId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = (object?)record.SpanId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = (object?)ActivityChangesJson.Serialize(record.Changes) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = LeafInput(record), NpgsqlDbType = NpgsqlDbType.Bytea });
            batch.BatchCommands.Add(insert);
        }

        AddSealedCounts(batch, stamped);

        if (commit)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        }

        try
        {
            await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            PartitionBounds[] bounds = await ReadPartitionResultsAsync(reader, partitions, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < stamped.Length; i++)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the lock or the last partition, then each insert
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                stamped[i] = stamped[i].WithSequence(reader.GetInt64(0));
            }

            if (commit)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // the COMMIT's outcome: throws when it failed
            }

            return (stamped, bounds);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw ActivityBatch.DuplicateRecord(paramName, ex);
        }
    }

    /// <summary>
    /// Joins a transaction the application opened on its own connection to this database (ADO.NET, Dapper, or EF Core's
    /// connection): records appended through the result are written inside it, so they commit or roll back with the
    /// application's change, and its <see cref="IActivityLogTransaction.CommitAsync"/> commits the transaction. The append
    /// takes the log's advisory lock, held until that commit, so sequences stay in commit order: append last, just before
    /// committing.
    /// </summary>
    /// <param name="transaction">An open <see cref="NpgsqlTransaction"/> on a connection to the log's database.</param>
    /// <returns>The store's side of the unit of work; wrap it with <see cref="ActivityLog.Enlist"/> to run the hooks.</returns>
    /// <exception cref="ArgumentException">The transaction is not an Npgsql transaction, or has no connection.</exception>
    public IActivityLogTransaction Enlist(DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction is not NpgsqlTransaction { Connection: not null } npgsql)
        {
            throw new ArgumentException(
                $"transaction must be an open NpgsqlTransaction on a connection to the log's database; got {transaction.GetType().Name}.",
                nameof(transaction));
        }

        return new EnlistedTransaction(npgsql, (record, cancellationToken) => AppendEnlistedAsync(npgsql, record, commit: false, cancellationToken),
            (record, cancellationToken) => AppendEnlistedAsync(npgsql, record, commit: true, cancellationToken));
    }

    /// <summary>Appends inside the application's transaction; with <paramref name="commit"/>, commits it in the same round trip.</summary>
    private async ValueTask<ActivityRecord> AppendEnlistedAsync(NpgsqlTransaction transaction, ActivityRecord record, bool commit, CancellationToken cancellationToken)
    {
        await _schema.CheckAsync(ct => SchemaIsCurrentAsync(transaction.Connection!, transaction, ct), cancellationToken).ConfigureAwait(false);
        (ActivityRecord[] stored, PartitionBounds[] partitions) = await InsertAsync(transaction, [record], nameof(record), enlisted: true, cancellationToken, commit).ConfigureAwait(false);
        if (commit)
        {
            // The COMMIT in the same batch succeeded, so the partitions it asked for exist. Without it (the application
            // commits later, or rolls back) they are not remembered, and the next append asks again.
            Remember(DatabaseOf(transaction.Connection!), partitions);
        }

        return stored[0];
    }

    /// <inheritdoc/>
    public async ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        long? after = ActivityCursor.Decode(query);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);

        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadPageAsync(connection, transaction: null, query, after, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a query on an open connection of the application's (inside its transaction, if any).</summary>
    internal async ValueTask<ActivityPage> QueryAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ActivityQuery query,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return await ReadPageAsync(connection, transaction, query, ActivityCursor.Decode(query), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a validated query (its cursor decoded to <paramref name="after"/>) on an open connection and reads the page.</summary>
    private async ValueTask<ActivityPage> ReadPageAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ActivityQuery query, long? after,
        CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = BuildQuery(connection, query, after);
        command.Transaction = transaction;
        return await ActivityBatch.ReadPageAsync(command, query, Read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The query's SQL and parameters (<see cref="ActivityBatch.Filters"/>), order, limit + 1.</summary>
    internal NpgsqlCommand BuildQuery(NpgsqlConnection connection, ActivityQuery query, long? after)
    {
        var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder("SELECT ").Append(Columns).Append(" FROM ").Append(_table);
        string separator = " WHERE ";
        foreach (ActivityFilter filter in ActivityBatch.Filters(query, after))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = filter.Value });
            sql.Append(separator).Append(filter.Column).Append(' ').Append(filter.Operator).Append(" $").Append(command.Parameters.Count);
            separator = " AND ";
        }

        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit + 1 });
        sql.Append(query.Order == ActivityOrder.NewestFirst ? " ORDER BY sequence DESC" : " ORDER BY sequence").Append(" LIMIT $").Append(command.Parameters.Count);
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
        OccurredAt = reader.GetFieldValue<DateTimeOffset>(7),
        Metadata = ActivityMetadataJson.Deserialize(reader.GetFieldValue<byte[]>(8)), // jsonb as UTF-8: no string to decode and encode again
        TraceId = reader.IsDBNull(9) ? null : reader.GetString(9),
        SpanId = reader.IsDBNull(10) ? null : reader.GetString(10),
        Changes = reader.IsDBNull(11) ? [] : ActivityChangesJson.Deserialize(reader.GetString(11)),
    }.WithSequence(reader.GetInt64(0));

    /// <summary>
    /// What the <c>leaf</c> column is given on insert: the record's canonical bytes (<see cref="ActivityRecordEncoding.Encode"/>)
    /// with its sequence still unknown (written as 1). The insert trigger puts the sequence the row gets into bytes 2-9 and
    /// stores SHA-256(0x00 ‖ bytes): the record's leaf hash, computed in the same statement, with no round trip to learn the
    /// sequence first.
    /// </summary>
    internal static byte[] LeafInput(ActivityRecord record) => ActivityRecordEncoding.Encode(record.WithSequence(1));

    /// <summary>Stamps a record without a time, and truncates times to the microseconds timestamptz keeps.</summary>
    private ActivityRecord Stamp(ActivityRecord record)
    {
        DateTimeOffset at = record.OccurredAt == default ? _clock.GetUtcNow() : record.OccurredAt;
        DateTimeOffset truncated = at.AddTicks(-(at.UtcTicks % TimeSpan.TicksPerMicrosecond));
        return truncated == record.OccurredAt ? record : record with { OccurredAt = truncated };
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _group.DisposeAsync().ConfigureAwait(false); // every joined append written first
        if (_ownsDataSource)
        {
            await _dataSource!.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _group.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_ownsDataSource)
        {
            _dataSource!.Dispose();
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
