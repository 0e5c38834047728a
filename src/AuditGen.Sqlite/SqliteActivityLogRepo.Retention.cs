using AuditGen.Storage;
using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite;

/// <summary>
/// Retention on SQLite: holds in <c>auditgen_legal_holds</c>; a purge deletes by sequence ranges on the writer connection,
/// inside <c>BEGIN IMMEDIATE</c>, with a window row that the delete trigger requires (and that never outlives the
/// transaction), and writes its record in the same transaction.
/// </summary>
public sealed partial class SqliteActivityLogRepo : IActivityLogRetention
{
    /// <inheritdoc/>
    public async ValueTask<(ActivityLegalHold Hold, ActivityRecord Record)> PlaceHoldAsync(ActivityLegalHold hold, ActivityRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        return await InWriteTransactionAsync(async (insert, command) =>
        {
            command.CommandText = $"INSERT INTO auditgen_legal_holds ({ActivityBatch.HoldColumns}) VALUES ($name, $actor, $owner, $type, $id, $reason, $at) ON CONFLICT (name) DO NOTHING";
            command.Parameters.AddWithValue("$name", hold.Name);
            command.Parameters.AddWithValue("$actor", (object?)hold.ActorId ?? DBNull.Value);
            command.Parameters.AddWithValue("$owner", (object?)hold.OwnerId ?? DBNull.Value);
            command.Parameters.AddWithValue("$type", (object?)hold.Entity?.EntityType ?? DBNull.Value);
            command.Parameters.AddWithValue("$id", (object?)hold.Entity?.EntityId ?? DBNull.Value);
            command.Parameters.AddWithValue("$reason", hold.Reason);
            command.Parameters.AddWithValue("$at", hold.PlacedAt.UtcTicks);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new ArgumentException($"A legal hold named '{hold.Name}' is already in place; release it first or choose another name.", nameof(hold));
            }

            return (hold, await InsertAsync(insert, record, cancellationToken).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<ActivityRecord?> ReleaseHoldAsync(string name, ActivityRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        return await InWriteTransactionAsync(async (insert, command) =>
        {
            command.CommandText = "DELETE FROM auditgen_legal_holds WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0
                ? null
                : await InsertAsync(insert, record, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ActivityLegalHold>> ListHoldsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteConnection connection = await OpenAsync(cancellationToken, writes: false).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {ActivityBatch.HoldColumns} FROM auditgen_legal_holds ORDER BY name";
        return await ActivityBatch.ReadHoldsAsync(command, static (reader, i) => new DateTimeOffset(reader.GetInt64(i), TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<(ActivityPurgeSummary Summary, ActivityRecord Record)?> PurgeAsync(ActivityPurgeWindow window, int maxRecords,
        Func<ActivityPurgeSummary, ActivityRecord> describe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        return await InWriteTransactionAsync<(ActivityPurgeSummary, ActivityRecord)?>(async (insert, command) =>
        {
            // What goes: old enough for its action, covered, not held; oldest sequences first.
            command.Parameters.AddWithValue("$through", window.ThroughSequence);
            command.Parameters.AddWithValue("$max", maxRecords);
            string before = ActivityBatch.PurgeBoundarySql(window, value =>
            {
                string name = $"$p{command.Parameters.Count}";
                command.Parameters.AddWithValue(name, value);
                return name;
            }, static at => at.UtcTicks);
            command.CommandText = $"SELECT r.sequence FROM activity_records r WHERE r.sequence <= $through AND r.occurred_at < {before} " +
                $"AND NOT {ActivityBatch.HeldSql("auditgen_legal_holds")} ORDER BY r.sequence LIMIT $max";
            var sequences = new List<long>();
            await using (SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    sequences.Add(reader.GetInt64(0));
                }
            }

            if (sequences.Count == 0)
            {
                return null;
            }

            IReadOnlyList<ActivitySequenceRange> ranges = ActivitySequenceRange.Runs(sequences);
            command.Parameters.Clear();
            command.CommandText = "SELECT count(*) FROM auditgen_legal_holds";
            int holds = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            var summary = new ActivityPurgeSummary(window, sequences.Count, ranges, [], holds);
            ActivityRecord record = describe(summary);
            record.Validate();

            // The window row lets the trigger pass these rows (and only rows it allows); it goes before commit.
            command.CommandText = "INSERT INTO auditgen_purge_window (through_sequence, before_ticks) VALUES ($through, $before)";
            command.Parameters.AddWithValue("$through", window.ThroughSequence);
            command.Parameters.AddWithValue("$before", window.Latest.UtcTicks);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            command.Parameters.Clear();
            command.CommandText = "DELETE FROM activity_records WHERE sequence BETWEEN $first AND $last";
            SqliteParameter first = command.Parameters.Add("$first", SqliteType.Integer), last = command.Parameters.Add("$last", SqliteType.Integer);
            foreach (ActivitySequenceRange range in ranges)
            {
                (first.Value, last.Value) = (range.First, range.Last);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            command.Parameters.Clear();
            command.CommandText = "DELETE FROM auditgen_purge_window";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return (summary, await InsertAsync(insert, record, cancellationToken).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the writer connection inside <c>BEGIN IMMEDIATE</c> (the writer's turn, so group
    /// commits wait), with the prepared insert and a fresh command enlisted; commits when it returns, rolls back when it throws.
    /// </summary>
    private async ValueTask<T> InWriteTransactionAsync<T>(Func<SqliteCommand, SqliteCommand, Task<T>> work, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SqliteCommand insert = await PrepareWriterAsync(cancellationToken).ConfigureAwait(false);
            using SqliteTransaction transaction = _writeConnection!.BeginTransaction(deferred: false);
            await using SqliteCommand command = _writeConnection.CreateCommand();
            command.Transaction = transaction;
            insert.Transaction = transaction;
            try
            {
                T result = await work(insert, command).ConfigureAwait(false);
                transaction.Commit();
                return result;
            }
            finally
            {
                insert.Transaction = null;
            }
        }
        finally
        {
            _writer.Release();
        }
    }
}
