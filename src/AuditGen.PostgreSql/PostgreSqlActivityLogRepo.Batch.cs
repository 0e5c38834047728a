using AuditGen.Storage;
using Npgsql;
using NpgsqlTypes;

namespace AuditGen.PostgreSql;

/// <summary>Batches: many records in one transaction with binary <c>COPY</c> (imports, high-volume producers, large groups).</summary>
public sealed partial class PostgreSqlActivityLogRepo
{
    /// <summary>
    /// Appends records in one transaction with binary COPY: all are stored, in order, or none. Every record is validated
    /// before anything is written.
    /// </summary>
    /// <param name="records">The records, in the order their sequences will follow.</param>
    /// <param name="cancellationToken">Cancels the batch before it commits.</param>
    /// <returns>The stored records, stamped and sequenced.</returns>
    /// <exception cref="ArgumentException">A record is invalid, or repeats a RecordId (within the batch or the log); nothing is stored.</exception>
    public async ValueTask<IReadOnlyList<ActivityRecord>> AppendManyAsync(IEnumerable<ActivityRecord> records, CancellationToken cancellationToken = default)
    {
        ActivityRecord[] batch = ActivityBatch.Validate(records, nameof(records));
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = Stamp(batch[i]);
        }

        if (batch.Length == 0)
        {
            return [];
        }

        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long before;
        PartitionBounds[] partitions;
        await using (var start = new NpgsqlBatch(connection, transaction))
        {
            start.BatchCommands.Add(new NpgsqlBatchCommand(PostgreSqlSchema.Lock) { Parameters = { new() { Value = _lockName } } });
            int asked = AddPartitionCommands(start, batch, OwnDatabase, enlisted: false);
            start.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT coalesce(max(sequence), 0) FROM {_table}"));
            await using NpgsqlDataReader reader = await start.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            partitions = await ReadPartitionResultsAsync(reader, asked, cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the lock or the last partition
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            before = reader.GetInt64(0);
        }

        try
        {
            await using (NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync(_copySql, cancellationToken).ConfigureAwait(false))
            {
                foreach (ActivityRecord record in batch)
                {
                    await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(record.RecordId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(record.ActorId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(record.OwnerId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(record.Action, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(record.EntityRef.EntityType, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(record.EntityRef.EntityId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(record.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(ActivityMetadataJson.Serialize(record.Metadata), NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(record.TraceId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(record.SpanId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(ActivityChangesJson.Serialize(record.Changes), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(LeafInput(record), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                }

                await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw ActivityBatch.DuplicateRecord(nameof(records), ex);
        }

        // The lock kept every other writer out, so the batch holds the sequences after `before`, in COPY order.
        var stored = new ActivityRecord[batch.Length];
        await using (var command = new NpgsqlCommand(StoredSequencesSql, connection, transaction))
        {
            command.Parameters.Add(new() { Value = before });
            command.Parameters.Add(new() { Value = batch.Length });
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < batch.Length && await reader.ReadAsync(cancellationToken).ConfigureAwait(false); i++)
            {
                stored[i] = batch[i].WithSequence(reader.GetInt64(0));
            }
        }

        await using (var counts = new NpgsqlBatch(connection, transaction))
        {
            AddSealedCounts(counts, batch);
            if (counts.BatchCommands.Count > 0)
            {
                await counts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Remember(partitions);
        return stored;
    }

    /// <summary>
    /// The sequences a batch got: the first <c>$2</c> after <c>$1</c> (the newest before it, read under the lock). The
    /// <c>LIMIT</c> is what keeps this a seek of the primary key: without it the planner reckons a third of the table
    /// matches <c>sequence &gt; $1</c> (its guess for an unknown value, and for a new partition without statistics) and scans
    /// the whole partition on every batch, a cost that grows with the log.
    /// </summary>
    internal string StoredSequencesSql { get; }
}
