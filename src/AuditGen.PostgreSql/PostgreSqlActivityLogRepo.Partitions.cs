using System.Collections.Immutable;
using Npgsql;

namespace AuditGen.PostgreSql;

/// <summary>
/// The log's partitions as the adapter knows them: before records are inserted, every partition they need (and the current
/// one plus <see cref="PostgreSqlActivityLogOptions.PartitionsAhead"/> after it) that is not known to exist is asked for in
/// the same round trip, under the append lock, by <c>activity_records_partition_for</c>, which creates it when missing.
/// Bounds are remembered only after the transaction that asked committed (a rolled-back one takes its new partitions with it),
/// and per database: an adapter that writes on applications' connections (the EF Core store's) may see several databases,
/// and a partition in one says nothing of another.
/// </summary>
public sealed partial class PostgreSqlActivityLogRepo
{
    private readonly int _partitionMonths;
    private readonly int _partitionsAhead;

    /// <summary>Bounds of partitions known to exist, per database (<see cref="DatabaseOf"/>).</summary>
    private ImmutableDictionary<string, ImmutableArray<PartitionBounds>> _partitions = NoPartitions;

    private static readonly ImmutableDictionary<string, ImmutableArray<PartitionBounds>> NoPartitions =
        ImmutableDictionary.Create<string, ImmutableArray<PartitionBounds>>(StringComparer.Ordinal);

    private string? _ownDatabase;

    /// <summary>Names the database <paramref name="connection"/> is (or will be) connected to: host, port and database.</summary>
    private static string DatabaseOf(NpgsqlConnection connection) => $"{connection.Host}:{connection.Port}/{connection.Database}";

    /// <summary>The database of the adapter's own pool.</summary>
    private string OwnDatabase
    {
        get
        {
            if (_ownDatabase is null)
            {
                using NpgsqlConnection connection = DataSource.CreateConnection();
                _ownDatabase = DatabaseOf(connection);
            }

            return _ownDatabase;
        }
    }

    /// <summary>One partition's range of <c>occurred_at</c>: from <see cref="Lower"/> (inclusive) to <see cref="Upper"/>.</summary>
    private readonly record struct PartitionBounds(DateTimeOffset Lower, DateTimeOffset Upper)
    {
        public bool Contains(DateTimeOffset at) => Lower <= at && at < Upper;
    }

    /// <summary>
    /// Adds a call of <c>activity_records_partition_for</c> to <paramref name="batch"/> for each record's time, and (unless
    /// <paramref name="enlisted"/>) for the current and the next <see cref="PostgreSqlActivityLogOptions.PartitionsAhead"/>
    /// partitions, whose partition is not known to exist in <paramref name="database"/> (one call per month); returns how
    /// many it added.
    /// </summary>
    private int AddPartitionCommands(NpgsqlBatch batch, ActivityRecord[] records, string database, bool enlisted)
    {
        // On the append path: nothing is allocated when every partition is known (the usual case).
        ImmutableArray<PartitionBounds> known = _partitions.TryGetValue(database, out ImmutableArray<PartitionBounds> bounds) ? bounds : [];
        List<DateTimeOffset>? missing = null;
        DateTimeOffset now = _clock.GetUtcNow();
        if (!enlisted)
        {
            for (int k = 0; k <= _partitionsAhead; k++)
            {
                Want(ref missing, known, now.AddMonths(k * _partitionMonths), now);
            }
        }

        for (int i = 0; i < records.Length; i++)
        {
            Want(ref missing, known, records[i].OccurredAt, now);
        }

        if (missing is null)
        {
            return 0;
        }

        foreach (DateTimeOffset at in missing)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT lower_bound, upper_bound FROM {_schemaName}.activity_records_partition_for($1, $2)")
            {
                Parameters = { new() { Value = at }, new() { Value = _partitionMonths } },
            });
        }

        return missing.Count;
    }

    /// <summary>
    /// Adds <paramref name="at"/> to <paramref name="missing"/> unless a known partition holds it or its month is there already.
    /// Only partitions that end after <paramref name="now"/> are taken as known: retention — in any process — drops only
    /// partitions that ended before its horizon, so a record dated in an older month (a back-dated import) always asks.
    /// </summary>
    private static void Want(ref List<DateTimeOffset>? missing, ImmutableArray<PartitionBounds> known, DateTimeOffset at, DateTimeOffset now)
    {
        foreach (PartitionBounds partition in known)
        {
            if (partition.Contains(at) && partition.Upper > now)
            {
                return;
            }
        }

        missing ??= [];
        DateTime utc = at.UtcDateTime;
        foreach (DateTimeOffset other in missing)
        {
            if (other.UtcDateTime.Year == utc.Year && other.UtcDateTime.Month == utc.Month)
            {
                return;
            }
        }

        missing.Add(at);
    }

    /// <summary>Reads the bounds that <paramref name="count"/> partition commands returned (the results after the lock's).</summary>
    private static async ValueTask<PartitionBounds[]> ReadPartitionResultsAsync(NpgsqlDataReader reader, int count, CancellationToken cancellationToken)
    {
        var bounds = new PartitionBounds[count];
        for (int i = 0; i < count; i++)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            DateTimeOffset lower = reader.IsDBNull(0) ? DateTimeOffset.MinValue : reader.GetFieldValue<DateTimeOffset>(0);
            bounds[i] = new PartitionBounds(lower, reader.GetFieldValue<DateTimeOffset>(1));
        }

        return bounds;
    }

    /// <summary>Remembers partitions that exist in the adapter's own database (their transaction committed).</summary>
    private void Remember(PartitionBounds[] partitions) => Remember(OwnDatabase, partitions);

    /// <summary>Remembers partitions that exist in <paramref name="database"/> (their transaction committed).</summary>
    private void Remember(string database, PartitionBounds[] partitions)
    {
        if (partitions.Length > 0)
        {
            ImmutableInterlocked.AddOrUpdate(ref _partitions, database, _ => [.. partitions],
                (_, known) => known.AddRange(partitions.Where(p => !known.Contains(p))));
        }
    }

    /// <summary>Forgets every partition learned, so the next append asks again (after partitions were dropped).</summary>
    private void ForgetPartitions() => _partitions = NoPartitions;
}
