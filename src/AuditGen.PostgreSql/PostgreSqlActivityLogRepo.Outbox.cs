using AuditGen.Storage;
using Npgsql;
using NpgsqlTypes;

namespace AuditGen.PostgreSql;

/// <summary>
/// The log as its own outbox (<see cref="IActivityLogOutbox"/>): records after a checkpoint, relays' checkpoints and leases;
/// and one record by id (<see cref="IActivityRecordLookup"/>).
/// Each operation has one home, on a given connection, which the EF Core store calls with its context's connection.
/// </summary>
/// <remarks>
/// Appends commit in sequence order (they hold the schema's advisory lock until commit), so a relay reading after its
/// checkpoint never passes a record that commits later. Leases are timed by the server's clock (<c>now()</c>), so relays
/// on machines whose clocks differ still agree.
/// </remarks>
public sealed partial class PostgreSqlActivityLogRepo
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ActivityRecord>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAfterAsync(connection, sequence, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<long> LastSequenceAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await LastSequenceAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<long?> TryLeaseAsync(string relay, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await TryLeaseAsync(connection, relay, holder, duration, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> CheckpointAsync(string relay, string holder, long sequence, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await CheckpointAsync(connection, relay, holder, sequence, duration, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<ActivityRecord?> FindAsync(Guid recordId, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, recordId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The record with <paramref name="recordId"/>, read on <paramref name="connection"/>: its sequence and time from the
    /// record-id table, then the one partition that holds it.
    /// </summary>
    internal async ValueTask<ActivityRecord?> FindAsync(NpgsqlConnection connection, Guid recordId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM {_table} WHERE (sequence, occurred_at) = (SELECT sequence, occurred_at FROM {_schemaName}.activity_record_ids WHERE record_id = $1)",
            connection);
        command.Parameters.Add(new() { Value = recordId });
        return (await ActivityBatch.ReadRecordsAsync(command, Read, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    /// <summary>The records after <paramref name="sequence"/>, oldest first, read on <paramref name="connection"/>.</summary>
    internal async ValueTask<IReadOnlyList<ActivityRecord>> ReadAfterAsync(NpgsqlConnection connection, long sequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM {_table} WHERE sequence > $1 ORDER BY sequence LIMIT $2", connection);
        command.Parameters.Add(new() { Value = sequence });
        command.Parameters.Add(new() { Value = limit });
        return await ActivityBatch.ReadRecordsAsync(command, Read, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<Integrity.ActivityLeaf>> ReadLeavesAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadLeavesAfterAsync(connection, sequence, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The leaves stored with the records after <paramref name="sequence"/> (computed for rows without one), read on <paramref name="connection"/>.</summary>
    internal async ValueTask<IReadOnlyList<Integrity.ActivityLeaf>> ReadLeavesAfterAsync(NpgsqlConnection connection, long sequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = new NpgsqlCommand($"SELECT sequence, leaf FROM {_table} WHERE sequence > $1 ORDER BY sequence LIMIT $2", connection);
        command.Parameters.Add(new() { Value = sequence });
        command.Parameters.Add(new() { Value = limit });
        return await ActivityBatch.ReadLeavesAsync(command, (after, count, ct) => ReadAfterAsync(connection, after, count, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest sequence (0 for an empty log), read on <paramref name="connection"/>.</summary>
    internal async ValueTask<long> LastSequenceAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT coalesce(max(sequence), 0) FROM {_table}", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Takes or renews a relay's lease on <paramref name="connection"/>, which must not be in a transaction.</summary>
    internal async ValueTask<long?> TryLeaseAsync(NpgsqlConnection connection, string relay, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relay);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {_schemaName}.auditgen_relays (relay, sequence, holder, lease_until) VALUES ($1, 0, NULL, '-infinity') ON CONFLICT (relay) DO NOTHING",
            connection, transaction);
        command.Parameters.Add(new() { Value = relay });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        // The row lock of the UPDATE makes the check and the take one step for every relay.
        command.CommandText = $"UPDATE {_schemaName}.auditgen_relays SET holder = $2, lease_until = now() + $3 " +
            "WHERE relay = $1 AND (holder IS NULL OR holder = $2 OR lease_until < now()) RETURNING sequence";
        command.Parameters.Add(new() { Value = holder });
        command.Parameters.Add(new() { Value = duration, NpgsqlDbType = NpgsqlDbType.Interval });
        object? checkpoint = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return checkpoint is long sequence ? sequence : null;
    }

    /// <summary>Moves a relay's checkpoint forward and renews its lease on <paramref name="connection"/>, if the lease is still the holder's.</summary>
    internal async ValueTask<bool> CheckpointAsync(NpgsqlConnection connection, string relay, string holder, long sequence, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relay);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        await using var command = new NpgsqlCommand(
            $"UPDATE {_schemaName}.auditgen_relays SET sequence = greatest(sequence, $3), lease_until = now() + $4 WHERE relay = $1 AND holder = $2",
            connection);
        command.Parameters.Add(new() { Value = relay });
        command.Parameters.Add(new() { Value = holder });
        command.Parameters.Add(new() { Value = sequence });
        command.Parameters.Add(new() { Value = duration, NpgsqlDbType = NpgsqlDbType.Interval });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
