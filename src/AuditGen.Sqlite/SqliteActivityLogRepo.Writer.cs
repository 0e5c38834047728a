using System.Data.Common;
using AuditGen.Integrity;
using AuditGen.Storage;
using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite;

/// <summary>
/// Writing records: appends on the one writer connection (prepared insert and last-sequence statements, one
/// <c>BEGIN IMMEDIATE</c> transaction per group or batch), the writer's restarting WAL checkpoint, and records written
/// inside a transaction the application opened (<see cref="Enlist"/>).
/// </summary>
public sealed partial class SqliteActivityLogRepo
{
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
}
