using System.ComponentModel;
using System.Data.Common;
using AuditGen.Integrity;

namespace AuditGen.Storage;

/// <summary>Helpers that every durable adapter needs in the same form. For adapter implementations.</summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class ActivityBatch
{
    /// <summary>
    /// Checks a batch before anything is written: no null, every record valid, no RecordId twice. Returns the batch as an array.
    /// </summary>
    /// <param name="records">The batch.</param>
    /// <param name="paramName">The caller's parameter name, for the exceptions.</param>
    /// <returns>The records, in order.</returns>
    /// <exception cref="ArgumentException">A record is null, invalid, or repeats a RecordId of the batch.</exception>
    public static ActivityRecord[] Validate(IEnumerable<ActivityRecord> records, string paramName)
    {
        ArgumentNullException.ThrowIfNull(records, paramName);
        ActivityRecord[] batch = [.. records];
        var ids = new HashSet<Guid>();
        for (int i = 0; i < batch.Length; i++)
        {
            if (batch[i] is null)
            {
                throw new ArgumentException($"{paramName}[{i}] is null.", paramName);
            }

            batch[i].Validate();
            if (!ids.Add(batch[i].RecordId))
            {
                throw new ArgumentException($"{paramName}[{i}].RecordId {batch[i].RecordId} appears twice in the batch; records are appended once.", paramName);
            }
        }

        return batch;
    }

    /// <summary>
    /// The error for a record whose <see cref="ActivityRecord.RecordId"/> is already stored, raised by the database's
    /// unique constraint: every adapter reports it the same way, after rolling back everything of that append.
    /// </summary>
    /// <param name="paramName">The caller's parameter name.</param>
    /// <param name="innerException">The database's constraint violation.</param>
    /// <returns>The exception to throw.</returns>
    public static ArgumentException DuplicateRecord(string paramName, Exception? innerException = null) =>
        new($"{paramName}.RecordId is already in the log; records are append-only and appended once. Nothing of this append was stored.",
            paramName, innerException);

    /// <summary>
    /// The conditions of a query's <c>WHERE</c> clause, on the column names the durable schemas share: the filters, the
    /// keyset position after the cursor (<c>sequence &lt;</c> or <c>&gt;</c> by order), and the time range. An adapter
    /// joins them with <c>AND</c>, binding each value as a parameter, and adds <c>ORDER BY sequence</c> (descending for
    /// <see cref="ActivityOrder.NewestFirst"/>) and <c>LIMIT query.Limit + 1</c> for <see cref="ToPage"/>.
    /// </summary>
    /// <param name="query">The query, validated.</param>
    /// <param name="after">The cursor's position (<see cref="ActivityCursor.Decode"/>), or <see langword="null"/> for the first page.</param>
    /// <returns>The conditions, in a fixed order.</returns>
    public static List<ActivityFilter> Filters(ActivityQuery query, long? after)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filters = new List<ActivityFilter>(4);
        if (query.Entity is { } entity)
        {
            filters.Add(new("entity_type", "=", entity.EntityType));
            filters.Add(new("entity_id", "=", entity.EntityId));
        }

        if (query.ActorId is { } actor)
        {
            filters.Add(new("actor_id", "=", actor));
        }

        if (query.OwnerId is { } owner)
        {
            filters.Add(new("owner_id", "=", owner));
        }

        if (query.Action is { } action)
        {
            filters.Add(new("action", "=", action));
        }

        if (after is { } position)
        {
            filters.Add(new("sequence", query.Order == ActivityOrder.NewestFirst ? "<" : ">", position));
        }

        if (query.Since is { } since)
        {
            filters.Add(new("occurred_at", ">=", since.ToUniversalTime()));
        }

        if (query.Until is { } until)
        {
            filters.Add(new("occurred_at", "<", until.ToUniversalTime()));
        }

        return filters;
    }

    /// <summary>Runs a summary command (<c>SELECT action, count(*) … GROUP BY action</c>) and sorts its rows into a summary.</summary>
    /// <param name="command">The command.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The summary.</returns>
    public static async ValueTask<ActivitySummary> ReadSummaryAsync(DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var counts = new List<ActivityActionCount>();
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new ActivityActionCount(reader.GetString(0), reader.GetInt64(1)));
        }

        return ActivitySummary.From(counts);
    }

    /// <summary>Runs a query command built from <see cref="Filters"/> and reads its rows into a page (<see cref="ToPage"/>).</summary>
    /// <param name="command">The command, with <c>LIMIT query.Limit + 1</c>.</param>
    /// <param name="query">The query it answers.</param>
    /// <param name="read">Reads the record at the reader's current row.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The page.</returns>
    public static async ValueTask<ActivityPage> ReadPageAsync(DbCommand command, ActivityQuery query, Func<DbDataReader, ActivityRecord> read,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ToPage(query, await ReadRecordsAsync(command, read, query.Limit + 1, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Runs a command and reads every row it returns as a record, in order.</summary>
    /// <param name="command">The command, whose rows have the adapter's record columns.</param>
    /// <param name="read">Reads the record at the reader's current row.</param>
    /// <param name="expected">How many rows to expect at most (sizes the list).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    public static async ValueTask<List<ActivityRecord>> ReadRecordsAsync(DbCommand command, Func<DbDataReader, ActivityRecord> read, int expected,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(read);
        var rows = new List<ActivityRecord>(Math.Clamp(expected, 0, 64));
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>
    /// Runs a command whose rows are <c>sequence, leaf</c> in sequence order and reads them as leaves. A row stored without a
    /// leaf (null: written before the leaf column existed) gets its leaf computed from the record, read with
    /// <paramref name="readAfter"/>; a record that is gone by then (purged between the two reads) ends the list there, so
    /// the next read resumes at it.
    /// </summary>
    /// <param name="command">The command.</param>
    /// <param name="readAfter">Reads the records after a sequence, at most a given count (the store's outbox read).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The leaves, oldest first.</returns>
    public static async ValueTask<IReadOnlyList<ActivityLeaf>> ReadLeavesAsync(DbCommand command,
        Func<long, int, CancellationToken, ValueTask<IReadOnlyList<ActivityRecord>>> readAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(readAfter);
        var sequences = new List<long>();
        var hashes = new List<byte[]?>();
        int firstMissing = -1, lastMissing = -1;
        await using (DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sequences.Add(reader.GetInt64(0));
                hashes.Add(reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1));
                if (hashes[^1] is null)
                {
                    firstMissing = firstMissing < 0 ? hashes.Count - 1 : firstMissing;
                    lastMissing = hashes.Count - 1;
                }
            }
        }

        var leaves = new List<ActivityLeaf>(sequences.Count);
        if (firstMissing < 0)
        {
            for (int i = 0; i < sequences.Count; i++)
            {
                leaves.Add(new ActivityLeaf(sequences[i], hashes[i]!));
            }

            return leaves;
        }

        IReadOnlyList<ActivityRecord> records = await readAfter(sequences[firstMissing] - 1, lastMissing - firstMissing + 1, cancellationToken).ConfigureAwait(false);
        var bySequence = records.ToDictionary(static r => r.Sequence);
        for (int i = 0; i < sequences.Count; i++)
        {
            if (hashes[i] is { } hash)
            {
                leaves.Add(new ActivityLeaf(sequences[i], hash));
            }
            else if (bySequence.TryGetValue(sequences[i], out ActivityRecord? record))
            {
                leaves.Add(new ActivityLeaf(sequences[i], ActivityRecordEncoding.LeafHash(record)));
            }
            else
            {
                break;
            }
        }

        return leaves;
    }

    /// <summary>
    /// The page for rows read with <c>LIMIT query.Limit + 1</c>: the first <see cref="ActivityQuery.Limit"/> records, and a
    /// cursor after the last of them when the extra row shows there is more.
    /// </summary>
    /// <param name="query">The query the rows answer.</param>
    /// <param name="rows">Up to limit + 1 records in the query's order.</param>
    /// <returns>The page.</returns>
    public static ActivityPage ToPage(ActivityQuery query, List<ActivityRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return ActivityPage.Empty;
        }

        bool more = rows.Count > query.Limit;
        if (more)
        {
            rows.RemoveRange(query.Limit, rows.Count - query.Limit);
        }

        return new ActivityPage(rows, more ? ActivityCursor.Encode(query, rows[^1].Sequence) : null);
    }
    /// <summary>The columns of a legal hold, in the order <see cref="ReadHoldsAsync"/> reads them (the same in every store).</summary>
    public const string HoldColumns = "name, actor_id, owner_id, entity_type, entity_id, reason, placed_at";

    /// <summary>Reads the legal holds <paramref name="command"/> selects (<see cref="HoldColumns"/>, in order).</summary>
    /// <param name="command">The query.</param>
    /// <param name="readPlacedAt">Reads the time column at the given ordinal the store's way.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The holds, in the query's order.</returns>
    public static async ValueTask<IReadOnlyList<ActivityLegalHold>> ReadHoldsAsync(DbCommand command, Func<DbDataReader, int, DateTimeOffset> readPlacedAt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(readPlacedAt);
        var holds = new List<ActivityLegalHold>();
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string name = reader.GetString(0), reason = reader.GetString(5);
            ActivityLegalHold hold = !reader.IsDBNull(1) ? ActivityLegalHold.ForActor(name, reader.GetGuid(1), reason)
                : !reader.IsDBNull(2) ? ActivityLegalHold.ForOwner(name, reader.GetGuid(2), reason)
                : ActivityLegalHold.ForEntity(name, new EntityRef(reader.GetString(3), reader.GetString(4)), reason);
            holds.Add(hold.PlacedOn(readPlacedAt(reader, 6)));
        }

        return holds;
    }
    /// <summary>
    /// The condition, on a row <c>r</c> of the log, that a legal hold in <paramref name="holdsTable"/> covers it (by actor,
    /// owner or entity): the one form of the hold rule the stores' purge queries use.
    /// </summary>
    /// <param name="holdsTable">The holds table, qualified as the store needs.</param>
    /// <returns>An <c>EXISTS (…)</c> condition.</returns>
    public static string HeldSql(string holdsTable) =>
        $"EXISTS (SELECT 1 FROM {holdsTable} h WHERE h.actor_id = r.actor_id OR h.owner_id = r.owner_id OR (h.entity_type = r.entity_type AND h.entity_id = r.entity_id))";

    /// <summary>
    /// The purge boundary of a row <c>r</c> as SQL: its action's boundary in <paramref name="window"/>, else the default
    /// (<c>CASE r.action WHEN … THEN … ELSE … END</c>, or the default alone).
    /// </summary>
    /// <param name="window">The purge window.</param>
    /// <param name="parameter">Adds a parameter of the given value (an action, or a boundary converted by <paramref name="time"/>) and returns its placeholder.</param>
    /// <param name="time">The store's form of an instant (UTC ticks, or the instant itself).</param>
    /// <returns>The SQL expression.</returns>
    public static string PurgeBoundarySql(ActivityPurgeWindow window, Func<object, string> parameter, Func<DateTimeOffset, object> time)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(time);
        if (window.BeforeByAction.Count == 0)
        {
            return parameter(time(window.Before));
        }

        var sql = new System.Text.StringBuilder("CASE r.action");
        foreach ((string action, DateTimeOffset before) in window.BeforeByAction)
        {
            sql.Append(" WHEN ").Append(parameter(action)).Append(" THEN ").Append(parameter(time(before)));
        }

        return sql.Append(" ELSE ").Append(parameter(time(window.Before))).Append(" END").ToString();
    }
}
