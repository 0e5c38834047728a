using System.Text;
using AuditGen.Storage;
using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite;

/// <summary>
/// The log as its own outbox (<see cref="IActivityLogOutbox"/>): records after a checkpoint, relays' checkpoints and leases;
/// and one record by id (<see cref="IActivityRecordLookup"/>).
/// Each operation has one home, on a given connection, which the EF Core store calls with its context's connection.
/// </summary>
public sealed partial class SqliteActivityLogRepo
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ActivityRecord>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteConnection connection = await OpenAsync(cancellationToken, writes: false).ConfigureAwait(false);
        return await ReadAfterAsync(connection, sequence, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<long> LastSequenceAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteConnection connection = await OpenAsync(cancellationToken, writes: false).ConfigureAwait(false);
        return await LastSequenceAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<long?> TryLeaseAsync(string relay, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await TryLeaseAsync(connection, relay, holder, duration, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> CheckpointAsync(string relay, string holder, long sequence, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await CheckpointRelayAsync(connection, relay, holder, sequence, duration, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<ActivityRecord?> FindAsync(Guid recordId, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteConnection connection = await OpenAsync(cancellationToken, writes: false).ConfigureAwait(false);
        return await FindAsync(connection, recordId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The record with <paramref name="recordId"/> (its unique index), read on <paramref name="connection"/>.</summary>
    internal static async ValueTask<ActivityRecord?> FindAsync(SqliteConnection connection, Guid recordId, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = new StringBuilder("SELECT ").Append(Columns).Append(" FROM activity_records WHERE record_id = $record_id").ToString();
        command.Parameters.AddWithValue("$record_id", recordId);
        return (await ActivityBatch.ReadRecordsAsync(command, Read, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    /// <summary>The records after <paramref name="sequence"/>, oldest first, read on <paramref name="connection"/>.</summary>
    internal static async ValueTask<IReadOnlyList<ActivityRecord>> ReadAfterAsync(SqliteConnection connection, long sequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = new StringBuilder("SELECT ").Append(Columns).Append(" FROM activity_records WHERE sequence > $after ORDER BY sequence LIMIT $limit").ToString();
        command.Parameters.AddWithValue("$after", sequence);
        command.Parameters.AddWithValue("$limit", limit);
        return await ActivityBatch.ReadRecordsAsync(command, Read, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<Integrity.ActivityLeaf>> ReadLeavesAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteConnection connection = await OpenAsync(cancellationToken, writes: false).ConfigureAwait(false);
        return await ReadLeavesAfterAsync(connection, sequence, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The leaves stored with the records after <paramref name="sequence"/> (computed for rows without one), read on <paramref name="connection"/>.</summary>
    internal static async ValueTask<IReadOnlyList<Integrity.ActivityLeaf>> ReadLeavesAfterAsync(SqliteConnection connection, long sequence, int limit,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, leaf FROM activity_records WHERE sequence > $after ORDER BY sequence LIMIT $limit";
        command.Parameters.AddWithValue("$after", sequence);
        command.Parameters.AddWithValue("$limit", limit);
        return await ActivityBatch.ReadLeavesAsync(command, (after, count, ct) => ReadAfterAsync(connection, after, count, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest sequence (0 for an empty log), read on <paramref name="connection"/>.</summary>
    internal static async ValueTask<long> LastSequenceAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(sequence), 0) FROM activity_records;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Takes or renews a relay's lease on <paramref name="connection"/>, which must not be in a transaction.</summary>
    internal async ValueTask<long?> TryLeaseAsync(SqliteConnection connection, string relay, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relay);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        DateTimeOffset now = _clock.GetUtcNow();

        // BEGIN IMMEDIATE: the read of the lease and its update are one step for every process on this file.
        await using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO auditgen_relays (relay, sequence, holder, lease_until) VALUES ($relay, 0, NULL, 0) ON CONFLICT (relay) DO NOTHING;";
        command.Parameters.AddWithValue("$relay", relay);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        command.CommandText = "UPDATE auditgen_relays SET holder = $holder, lease_until = $until " +
            "WHERE relay = $relay AND (holder IS NULL OR holder = $holder OR lease_until < $now) RETURNING sequence;";
        command.Parameters.AddWithValue("$holder", holder);
        command.Parameters.AddWithValue("$until", (now + duration).UtcTicks);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        long? checkpoint = null;
        await using (SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                checkpoint = reader.GetInt64(0);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return checkpoint;
    }

    /// <summary>Moves a relay's checkpoint forward and renews its lease on <paramref name="connection"/>, if the lease is still the holder's.</summary>
    internal async ValueTask<bool> CheckpointRelayAsync(SqliteConnection connection, string relay, string holder, long sequence, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relay);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE auditgen_relays SET sequence = max(sequence, $sequence), lease_until = $until WHERE relay = $relay AND holder = $holder;";
        command.Parameters.AddWithValue("$relay", relay);
        command.Parameters.AddWithValue("$holder", holder);
        command.Parameters.AddWithValue("$sequence", sequence);
        command.Parameters.AddWithValue("$until", (_clock.GetUtcNow() + duration).UtcTicks);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
