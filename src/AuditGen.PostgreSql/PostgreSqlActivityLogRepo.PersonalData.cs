using AuditGen.Storage;
using Npgsql;
using NpgsqlTypes;

namespace AuditGen.PostgreSql;

/// <summary>
/// Subject keys on PostgreSQL, in <c>auditgen_subject_keys</c> beside the log: each append adds its sealed values to their
/// keys' counts in its own round trip and transaction; erasure takes the append lock, deletes the key row and writes its record
/// in one transaction (an append racing it either committed before — counted — or seals under a key that is gone).
/// </summary>
public sealed partial class PostgreSqlActivityLogRepo
{
    private const string KeyColumns = "key_id, subject_id, kek_id, wrapped_key, created_at, sealed_values";
    private readonly string? _basePath;

    /// <inheritdoc/>
    /// <remarks>Derived from the connection string's database and the schema (<c>ActivityCheckpointFiles.ForPostgreSql</c>).</remarks>
    /// <remarks>Null for an adapter made from a data source: register an <see cref="IActivityKeyEncryptionKey"/> for personal data.</remarks>
    public string? BasePath => _basePath;

    /// <inheritdoc/>
    public async ValueTask<ActivitySubjectKey?> FindSubjectKeyAsync(Guid subjectId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ActivitySubjectKey> keys = await ReadKeysAsync($"SELECT {KeyColumns} FROM {_schemaName}.auditgen_subject_keys WHERE subject_id = $1",
            command => command.Parameters.Add(new() { Value = subjectId }), cancellationToken).ConfigureAwait(false);
        return keys.Count == 0 ? null : keys[0];
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ActivitySubjectKey>> FindKeysAsync(IReadOnlyCollection<Guid> keyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyIds);
        return keyIds.Count == 0 ? [] : await ReadKeysAsync($"SELECT {KeyColumns} FROM {_schemaName}.auditgen_subject_keys WHERE key_id = ANY($1)",
            command => command.Parameters.Add(new() { Value = keyIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid }), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<ActivitySubjectKey> AddSubjectKeyAsync(ActivitySubjectKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO {_schemaName}.auditgen_subject_keys ({KeyColumns}) VALUES ($1, $2, $3, $4, $5, 0) ON CONFLICT (subject_id) DO NOTHING", connection))
        {
            insert.Parameters.Add(new() { Value = key.KeyId });
            insert.Parameters.Add(new() { Value = key.SubjectId });
            insert.Parameters.Add(new() { Value = key.KekId });
            insert.Parameters.Add(new() { Value = key.WrappedKey.ToArray() });
            insert.Parameters.Add(new() { Value = key.CreatedAt });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await FindSubjectKeyAsync(key.SubjectId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The key of subject {key.SubjectId:D} was erased while it was made; append again.");
    }

    /// <inheritdoc/>
    public async ValueTask<ActivityRecord> EraseSubjectAsync(Guid subjectId, Func<long, ActivityRecord> describe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(describe);
        (ActivityRecord[] stored, PartitionBounds[] partitions) = await InLockedTransactionAsync(async transaction =>
        {
            await using var command = new NpgsqlCommand(
                $"SELECT name FROM {_schemaName}.auditgen_legal_holds WHERE actor_id = $1 OR owner_id = $1 ORDER BY name LIMIT 1", transaction.Connection, transaction);
            command.Parameters.Add(new() { Value = subjectId });
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string hold)
            {
                throw new ActivitySubjectHeldException(subjectId, hold);
            }

            command.CommandText = $"WITH d AS (DELETE FROM {_schemaName}.auditgen_subject_keys WHERE subject_id = $1 RETURNING sealed_values) SELECT coalesce(sum(sealed_values), 0)::bigint FROM d";
            long count = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            ActivityRecord record = describe(count);
            record.Validate();
            return await InsertAsync(transaction, [record], nameof(describe), enlisted: false, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return Stored(stored[0], partitions);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ActivitySubjectKey>> ListKeysAsync(Guid after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return await ReadKeysAsync($"SELECT {KeyColumns} FROM {_schemaName}.auditgen_subject_keys WHERE key_id > $1 ORDER BY key_id LIMIT $2", command =>
        {
            command.Parameters.Add(new() { Value = after });
            command.Parameters.Add(new() { Value = limit });
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<int> ReplaceWrappedKeysAsync(IReadOnlyList<ActivitySubjectKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int replaced = 0;
        foreach (ActivitySubjectKey key in keys)
        {
            await using var update = new NpgsqlCommand($"UPDATE {_schemaName}.auditgen_subject_keys SET kek_id = $1, wrapped_key = $2 WHERE key_id = $3", connection, transaction);
            update.Parameters.Add(new() { Value = key.KekId });
            update.Parameters.Add(new() { Value = key.WrappedKey.ToArray() });
            update.Parameters.Add(new() { Value = key.KeyId });
            replaced += await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return replaced;
    }

    /// <summary>Adds each record's sealed values to their keys' counts, as commands of the append's own batch.</summary>
    private void AddSealedCounts(NpgsqlBatch batch, ActivityRecord[] records)
    {
        Dictionary<Guid, int>? total = null;
        foreach (ActivityRecord record in records)
        {
            if (ActivitySealedCounts.Of(record) is { } counts)
            {
                foreach (KeyValuePair<Guid, int> count in counts)
                {
                    total ??= [];
                    total[count.Key] = total.GetValueOrDefault(count.Key) + count.Value;
                }
            }
        }

        foreach (KeyValuePair<Guid, int> count in total ?? [])
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"UPDATE {_schemaName}.auditgen_subject_keys SET sealed_values = sealed_values + $1 WHERE key_id = $2")
            {
                Parameters = { new() { Value = (long)count.Value }, new() { Value = count.Key } },
            });
        }
    }

    private async Task<IReadOnlyList<ActivitySubjectKey>> ReadKeysAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        bind(command);
        var keys = new List<ActivitySubjectKey>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            DateTimeOffset at = reader.GetFieldValue<DateTimeOffset>(4);
            keys.Add(new ActivitySubjectKey(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3), at) { SealedValues = reader.GetInt64(5) });
        }

        return keys;
    }
}
