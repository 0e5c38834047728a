using System.Globalization;
using AuditGen.Storage;
using Npgsql;
using NpgsqlTypes;

namespace AuditGen.PostgreSql;

/// <summary>
/// Retention on PostgreSQL: holds in <c>auditgen_legal_holds</c>; a purge, under the append lock, drops whole partitions
/// that hold nothing to keep and deletes the rest row by row inside the purge window the row trigger requires, writing its
/// record in the same transaction. Dropping and deleting need the role that owns the log (the migration role).
/// </summary>
public sealed partial class PostgreSqlActivityLogRepo : IActivityLogRetention
{
    /// <inheritdoc/>
    public async ValueTask<(ActivityLegalHold Hold, ActivityRecord Record)> PlaceHoldAsync(ActivityLegalHold hold, ActivityRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        (ActivityLegalHold placed, (ActivityRecord[] stored, PartitionBounds[] partitions)) = await InLockedTransactionAsync(async transaction =>
        {
            await using var command = new NpgsqlCommand(
                $"INSERT INTO {_schemaName}.auditgen_legal_holds ({ActivityBatch.HoldColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING",
                transaction.Connection, transaction);
            command.Parameters.Add(new() { Value = hold.Name });
            command.Parameters.Add(new() { Value = (object?)hold.ActorId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new() { Value = (object?)hold.OwnerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new() { Value = (object?)hold.Entity?.EntityType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = (object?)hold.Entity?.EntityId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = hold.Reason });
            command.Parameters.Add(new() { Value = hold.PlacedAt });
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new ArgumentException($"A legal hold named '{hold.Name}' is already in place; release it first or choose another name.", nameof(hold));
            }

            return (hold, await InsertAsync(transaction, [record], nameof(record), enlisted: false, cancellationToken).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
        return Stored((placed, stored[0]), partitions);
    }

    /// <inheritdoc/>
    public async ValueTask<ActivityRecord?> ReleaseHoldAsync(string name, ActivityRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        (ActivityRecord[] Stored, PartitionBounds[] Partitions)? released = await InLockedTransactionAsync(async transaction =>
        {
            await using var command = new NpgsqlCommand($"DELETE FROM {_schemaName}.auditgen_legal_holds WHERE name = $1", transaction.Connection, transaction);
            command.Parameters.Add(new() { Value = name });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0
                ? ((ActivityRecord[], PartitionBounds[])?)null
                : await InsertAsync(transaction, [record], nameof(record), enlisted: false, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return released is var (stored, partitions) ? Stored(stored[0], partitions) : null;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ActivityLegalHold>> ListHoldsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {ActivityBatch.HoldColumns} FROM {_schemaName}.auditgen_legal_holds ORDER BY name", connection);
        return await ActivityBatch.ReadHoldsAsync(command, static (reader, i) => reader.GetFieldValue<DateTimeOffset>(i), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<(ActivityPurgeSummary Summary, ActivityRecord Record)?> PurgeAsync(ActivityPurgeWindow window, int maxRecords,
        Func<ActivityPurgeSummary, ActivityRecord> describe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        var dropped = new List<string>();
        (ActivityPurgeSummary Summary, ActivityRecord[] Stored, PartitionBounds[] Partitions)? purge = await InLockedTransactionAsync(async transaction =>
        {
            NpgsqlConnection connection = transaction.Connection!;
            int holds = Convert.ToInt32(await ScalarAsync(transaction, $"SELECT count(*) FROM {_schemaName}.auditgen_legal_holds", cancellationToken).ConfigureAwait(false),
                CultureInfo.InvariantCulture);

            // 1. Whole partitions: every row old enough for any action, covered, and none held.
            var sequences = new List<long>();
            var droppedOids = new List<uint>();
            foreach ((string name, uint oid) in await DroppablePartitionsAsync(transaction, window, cancellationToken).ConfigureAwait(false))
            {
                int before = sequences.Count;
                await ReadSequencesAsync(transaction, $"SELECT sequence FROM {_schemaName}.\"{name}\"", [], sequences, cancellationToken).ConfigureAwait(false);
                if (sequences.Count > before)
                {
                    dropped.Add(name);
                    droppedOids.Add(oid);
                }
            }

            // 2. Rows elsewhere: old enough for their action, covered, not held; oldest sequences first.
            var parameters = new List<NpgsqlParameter>
            {
                new() { Value = window.Latest },
                new() { Value = window.ThroughSequence },
                new() { Value = droppedOids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Oid },
                new() { Value = maxRecords },
            };
            string boundary = ActivityBatch.PurgeBoundarySql(window, value =>
            {
                parameters.Add(new() { Value = value });
                return $"${parameters.Count}";
            }, static at => at);
            string sql = $"SELECT r.sequence FROM {_table} r WHERE r.occurred_at < $1 AND r.sequence <= $2 AND r.tableoid <> ALL($3) AND r.occurred_at < {boundary} " +
                $"AND NOT {ActivityBatch.HeldSql($"{_schemaName}.auditgen_legal_holds")} ORDER BY r.sequence LIMIT $4";
            var rows = new List<long>();
            await ReadSequencesAsync(transaction, sql, parameters, rows, cancellationToken).ConfigureAwait(false);
            if (sequences.Count + rows.Count == 0)
            {
                return null;
            }

            sequences.AddRange(rows);
            sequences.Sort();
            var summary = new ActivityPurgeSummary(window, sequences.Count, ActivitySequenceRange.Runs(sequences), [.. dropped], holds);
            ActivityRecord record = describe(summary);
            record.Validate();

            // 3. Remove: rows inside the purge window the trigger requires (and their ids), then the partitions.
            await using (var purgeWindow = new NpgsqlCommand(
                "SELECT set_config('auditgen.purge_through', $1, true), set_config('auditgen.purge_before', $2, true)", connection, transaction))
            {
                purgeWindow.Parameters.Add(new() { Value = window.ThroughSequence.ToString(CultureInfo.InvariantCulture) });
                purgeWindow.Parameters.Add(new() { Value = window.Latest.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", CultureInfo.InvariantCulture) });
                await purgeWindow.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var delete = new NpgsqlCommand(
                $"WITH gone AS (DELETE FROM {_table} WHERE sequence = ANY($1) AND occurred_at < $2 RETURNING record_id), " +
                $"forgotten AS (DELETE FROM {_schemaName}.activity_record_ids WHERE record_id IN (SELECT record_id FROM gone)) SELECT count(*) FROM gone",
                connection, transaction))
            {
                delete.Parameters.Add(new() { Value = rows.ToArray() });
                delete.Parameters.Add(new() { Value = window.Latest });
                long deleted = (long)(await delete.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                if (deleted != rows.Count)
                {
                    throw new InvalidOperationException($"The purge found {rows.Count} rows to delete but deleted {deleted}; nothing was removed.");
                }
            }

            await using (var batch = new NpgsqlBatch(connection, transaction))
            {
                foreach (string name in dropped)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(
                        $"DELETE FROM {_schemaName}.activity_record_ids i USING {_schemaName}.\"{name}\" p WHERE i.record_id = p.record_id"));
                    batch.BatchCommands.Add(new NpgsqlBatchCommand($"DROP TABLE {_schemaName}.\"{name}\""));
                }

                batch.BatchCommands.Add(new NpgsqlBatchCommand($"DELETE FROM {_schemaName}.auditgen_partitions WHERE name = ANY($1)") { Parameters = { new() { Value = dropped.ToArray() } } });
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('auditgen.purge_through', '', true)"));
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            (ActivityRecord[] stored, PartitionBounds[] partitions) = await InsertAsync(transaction, [record], nameof(record), enlisted: false, cancellationToken).ConfigureAwait(false);
            return ((ActivityPurgeSummary, ActivityRecord[], PartitionBounds[])?)(summary, stored, partitions);
        }, cancellationToken).ConfigureAwait(false);

        if (purge is not var (done, records, learned))
        {
            return null;
        }

        if (dropped.Count > 0)
        {
            ForgetPartitions(); // a record back-dated into a dropped range gets its partition again
        }

        return Stored((done, records[0]), learned);
    }

    /// <summary>Partitions entirely before the window's earliest boundary, with no row after its sequence and none a hold covers.</summary>
    private async Task<List<(string Name, uint Oid)>> DroppablePartitionsAsync(NpgsqlTransaction transaction, ActivityPurgeWindow window, CancellationToken cancellationToken)
    {
        var candidates = new List<(string, uint)>();
        await using (var command = new NpgsqlCommand(
            $"SELECT name, format('%s.%I', $2::text, name)::regclass::oid FROM {_schemaName}.auditgen_partitions WHERE upper_bound <= $1 ORDER BY upper_bound",
            transaction.Connection, transaction))
        {
            command.Parameters.Add(new() { Value = window.Earliest });
            command.Parameters.Add(new() { Value = _schemaName });
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                candidates.Add((reader.GetString(0), reader.GetFieldValue<uint>(1)));
            }
        }

        var droppable = new List<(string, uint)>();
        foreach ((string name, uint oid) in candidates)
        {
            string partition = $"{_schemaName}.\"{name}\"";
            object? keep = await ScalarAsync(transaction,
                $"SELECT (SELECT coalesce(max(sequence), 0) FROM {partition}) > {window.ThroughSequence.ToString(CultureInfo.InvariantCulture)} OR EXISTS (" +
                $"SELECT 1 FROM {_schemaName}.auditgen_legal_holds h WHERE EXISTS (SELECT 1 FROM {partition} r WHERE r.actor_id = h.actor_id) " +
                $"OR EXISTS (SELECT 1 FROM {partition} r WHERE r.owner_id = h.owner_id) " +
                $"OR EXISTS (SELECT 1 FROM {partition} r WHERE r.entity_type = h.entity_type AND r.entity_id = h.entity_id))", cancellationToken).ConfigureAwait(false);
            if (keep is false)
            {
                droppable.Add((name, oid));
            }
        }

        return droppable;
    }

    private static async Task ReadSequencesAsync(NpgsqlTransaction transaction, string sql, IEnumerable<NpgsqlParameter> parameters, List<long> into, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        foreach (NpgsqlParameter parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }

        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            into.Add(reader.GetInt64(0));
        }
    }

    private static async Task<object?> ScalarAsync(NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> in a transaction of its own that holds the append lock, and commits it.</summary>
    private async Task<T> InLockedTransactionAsync<T>(Func<NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(PostgreSqlSchema.Lock, connection, transaction))
        {
            command.Parameters.Add(new() { Value = _lockName });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        T result = await work(transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Returns <paramref name="value"/> once its transaction committed, remembering the partitions it made.</summary>
    private T Stored<T>(T value, PartitionBounds[] partitions)
    {
        Remember(partitions);
        return value;
    }
}
