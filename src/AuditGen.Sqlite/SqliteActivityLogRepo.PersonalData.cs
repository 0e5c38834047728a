using AuditGen.Storage;
using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite;

/// <summary>
/// Subject keys on SQLite, in <c>auditgen_subject_keys</c> beside the log: each append adds its sealed values to their keys'
/// counts in its own transaction; erasure deletes the key row with <c>secure_delete</c> on (the freed bytes are zeroed) and
/// writes its record in one <c>BEGIN IMMEDIATE</c> transaction, then truncates the WAL so no copy of the key stays there.
/// </summary>
public sealed partial class SqliteActivityLogRepo
{
    private const string KeyColumns = "key_id, subject_id, kek_id, wrapped_key, created_at, sealed_values";

    /// <inheritdoc/>
    public string? BasePath => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    /// <inheritdoc/>
    public async ValueTask<ActivitySubjectKey?> FindSubjectKeyAsync(Guid subjectId, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteConnection connection = await OpenAsync(cancellationToken, writes: false).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {KeyColumns} FROM auditgen_subject_keys WHERE subject_id = $subject";
        command.Parameters.AddWithValue("$subject", subjectId);
        IReadOnlyList<ActivitySubjectKey> keys = await ReadKeysAsync(command, cancellationToken).ConfigureAwait(false);
        return keys.Count == 0 ? null : keys[0];
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ActivitySubjectKey>> FindKeysAsync(IReadOnlyCollection<Guid> keyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyIds);
        if (keyIds.Count == 0)
        {
            return [];
        }

        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteConnection connection = await OpenAsync(cancellationToken, writes: false).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        var names = new List<string>(keyIds.Count);
        foreach (Guid keyId in keyIds)
        {
            string name = $"$k{names.Count}";
            names.Add(name);
            command.Parameters.AddWithValue(name, keyId);
        }

        command.CommandText = $"SELECT {KeyColumns} FROM auditgen_subject_keys WHERE key_id IN ({string.Join(", ", names)})";
        return await ReadKeysAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<ActivitySubjectKey> AddSubjectKeyAsync(ActivitySubjectKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return await InWriteTransactionAsync((_, command) => AddSubjectKeyAsync(command, key, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds <paramref name="key"/> unless its subject has one, on an application's connection inside its write transaction
    /// (the EF Core store: SQLite takes one writer, so a key made while the change's transaction is open is made in it).
    /// </summary>
    internal static async Task<ActivitySubjectKey> AddSubjectKeyAsync(SqliteConnection connection, SqliteTransaction transaction, ActivitySubjectKey key,
        CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        return await AddSubjectKeyAsync(command, key, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ActivitySubjectKey> AddSubjectKeyAsync(SqliteCommand command, ActivitySubjectKey key, CancellationToken cancellationToken)
    {
        command.CommandText = $"INSERT INTO auditgen_subject_keys ({KeyColumns}) VALUES ($key, $subject, $kek, $wrapped, $at, 0) ON CONFLICT (subject_id) DO NOTHING";
        command.Parameters.AddWithValue("$key", key.KeyId);
        command.Parameters.AddWithValue("$subject", key.SubjectId);
        command.Parameters.AddWithValue("$kek", key.KekId);
        command.Parameters.AddWithValue("$wrapped", key.WrappedKey.ToArray());
        command.Parameters.AddWithValue("$at", key.CreatedAt.UtcTicks);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        command.Parameters.Clear();
        command.CommandText = $"SELECT {KeyColumns} FROM auditgen_subject_keys WHERE subject_id = $subject";
        command.Parameters.AddWithValue("$subject", key.SubjectId);
        return (await ReadKeysAsync(command, cancellationToken).ConfigureAwait(false))[0];
    }

    /// <inheritdoc/>
    public async ValueTask<ActivityRecord> EraseSubjectAsync(Guid subjectId, Func<long, ActivityRecord> describe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(describe);
        ActivityRecord stored = await InWriteTransactionAsync(async (insert, command) =>
        {
            command.CommandText = "PRAGMA secure_delete = ON"; // the deleted key's bytes are overwritten in the page, not left in free space
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            command.CommandText = "SELECT name FROM auditgen_legal_holds WHERE actor_id = $subject OR owner_id = $subject ORDER BY name LIMIT 1";
            command.Parameters.AddWithValue("$subject", subjectId);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string hold)
            {
                throw new ActivitySubjectHeldException(subjectId, hold);
            }

            command.CommandText = "DELETE FROM auditgen_subject_keys WHERE subject_id = $subject RETURNING sealed_values";
            long count = 0;
            await using (SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    count += reader.GetInt64(0);
                }
            }

            ActivityRecord record = describe(count);
            record.Validate();
            return await InsertAsync(insert, record, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        // The committed delete's pages (and the key's older copies) may sit in the WAL: checkpoint it into the file and truncate it.
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using SqliteCommand truncate = _writeConnection!.CreateCommand();
            truncate.CommandText = "PRAGMA secure_delete = OFF; PRAGMA wal_checkpoint(TRUNCATE);";
            await using SqliteDataReader result = await truncate.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            while (await result.ReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
            }
        }
        finally
        {
            _writer.Release();
        }

        return stored;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ActivitySubjectKey>> ListKeysAsync(Guid after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteConnection connection = await OpenAsync(cancellationToken, writes: false).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {KeyColumns} FROM auditgen_subject_keys WHERE key_id > $after ORDER BY key_id LIMIT $limit";
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadKeysAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<int> ReplaceWrappedKeysAsync(IReadOnlyList<ActivitySubjectKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        int replaced = await InWriteTransactionAsync(async (_, command) =>
        {
            command.CommandText = "PRAGMA secure_delete = ON"; // the old wrapping is overwritten, not left in free space
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            command.CommandText = "UPDATE auditgen_subject_keys SET kek_id = $kek, wrapped_key = $wrapped WHERE key_id = $key";
            SqliteParameter kek = command.Parameters.Add("$kek", SqliteType.Text);
            SqliteParameter wrapped = command.Parameters.Add("$wrapped", SqliteType.Blob);
            SqliteParameter id = command.Parameters.Add(new SqliteParameter { ParameterName = "$key" }); // a Guid: stored as its 16 bytes, as AddWithValue does
            int count = 0;
            foreach (ActivitySubjectKey key in keys)
            {
                (kek.Value, wrapped.Value, id.Value) = (key.KekId, key.WrappedKey.ToArray(), key.KeyId);
                count += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return count;
        }, cancellationToken).ConfigureAwait(false);
        return replaced;
    }

    /// <summary>
    /// Adds the record's sealed values to their keys' counts, in the insert's transaction; on the writer's connection with a
    /// statement prepared once.
    /// </summary>
    private async ValueTask CountSealedAsync(SqliteCommand insert, ActivityRecord record, CancellationToken cancellationToken)
    {
        if (ActivitySealedCounts.Of(record) is not { } counts)
        {
            return;
        }

        bool writer = ReferenceEquals(insert, _insert);
        SqliteCommand update = writer ? _countSealed ??= CreateCountSealed(insert.Connection!) : CreateCountSealed(insert.Connection!);
        try
        {
            update.Transaction = insert.Transaction;
            foreach (KeyValuePair<Guid, int> count in counts)
            {
                (update.Parameters[0].Value, update.Parameters[1].Value) = (count.Value, count.Key);
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            update.Transaction = null;
            if (!writer)
            {
                await update.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static SqliteCommand CreateCountSealed(SqliteConnection connection)
    {
        SqliteCommand update = connection.CreateCommand();
        update.CommandText = "UPDATE auditgen_subject_keys SET sealed_values = sealed_values + $n WHERE key_id = $key";
        update.Parameters.Add("$n", SqliteType.Integer);
        update.Parameters.Add(new SqliteParameter { ParameterName = "$key" }); // a Guid: stored as its 16 bytes, as AddWithValue does
        return update;
    }

    private static async Task<IReadOnlyList<ActivitySubjectKey>> ReadKeysAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var keys = new List<ActivitySubjectKey>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var at = new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero);
            keys.Add(new ActivitySubjectKey(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), (byte[])reader.GetValue(3), at) { SealedValues = reader.GetInt64(5) });
        }

        return keys;
    }
}
