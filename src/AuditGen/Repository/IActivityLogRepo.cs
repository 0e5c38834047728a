namespace AuditGen;

/// <summary>
/// The activity log port: append-only storage of <see cref="ActivityRecord"/>s, queried by entity, actor, owner or action.
/// </summary>
/// <remarks>
/// Adapters: <see cref="InMemoryActivityLogRepo"/> (tests), SQLite and PostgreSQL (their packages). <see cref="ActivityLog"/>
/// wraps any adapter with hooks, side effects and events; dependency injection registers it as this interface.
/// Every adapter assigns strictly increasing sequences, stamps <see cref="ActivityRecord.OccurredAt"/> from its
/// clock when the record has none, and answers queries in O(log n + limit).
/// </remarks>
public interface IActivityLogRepo
{
    /// <summary>Appends a record; records are never changed or removed once appended.</summary>
    /// <param name="record">The record, usually from <see cref="ActivityRecord.Create"/>.</param>
    /// <param name="cancellationToken">Cancels the append before the record is stored.</param>
    /// <returns>The stored record, or the veto of a before-append hook.</returns>
    /// <exception cref="ArgumentException">The record is invalid or its <see cref="ActivityRecord.RecordId"/> is already in the log; nothing is stored.</exception>
    ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default);

    /// <summary>Returns one page of records matching <paramref name="query"/>.</summary>
    /// <param name="query">The filters, order, page size and cursor.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The page, with the cursor of the next one.</returns>
    /// <exception cref="ArgumentException">The query is invalid, or its cursor is malformed or from another query.</exception>
    ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts the records of one actor or one owner per action (the audit view "what did they do"). Every adapter that ships
    /// with AuditGen answers with one grouped, indexed query; this default pages through the records, so a custom adapter
    /// is correct without it and fast once it overrides it.
    /// </summary>
    /// <param name="query">The actor or owner, and the time window.</param>
    /// <param name="cancellationToken">Cancels the count.</param>
    /// <returns>The total and the count per action, most first.</returns>
    /// <exception cref="ArgumentException">The query is invalid (not exactly one of actor and owner, or a reversed window).</exception>
    async ValueTask<ActivitySummary> SummarizeAsync(ActivitySummaryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (ActivityRecord record in this.StreamAsync(query.ToQuery(), cancellationToken).ConfigureAwait(false))
        {
            counts[record.Action] = counts.GetValueOrDefault(record.Action) + 1;
        }

        return ActivitySummary.From(counts.Select(static c => new ActivityActionCount(c.Key, c.Value)));
    }

    /// <summary>
    /// The entity's properties as of <paramref name="at"/>, rebuilt from the changes recorded about it
    /// (<see cref="ActivityRecord.Changes"/> of its records, in log order), with whether the history is complete (its
    /// creation was recorded). The default reads the entity's records through <see cref="QueryAsync"/> (the entity's
    /// index, up to <paramref name="at"/>): it works on every adapter. Changes of the entity recorded on records about
    /// another entity are not read.
    /// </summary>
    /// <param name="entity">The entity.</param>
    /// <param name="at">The point in time, inclusive: a change recorded at exactly this time is applied.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The state, or null when nothing was recorded about the entity up to <paramref name="at"/>.</returns>
    /// <exception cref="ArgumentException">The entity reference breaks its rules.</exception>
    ValueTask<ActivityEntityState?> GetEntityStateAsync(EntityRef entity, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ActivityEntityStates.RebuildAsync(entity, at, this.StreamAsync(ActivityEntityStates.QueryFor(entity, at), cancellationToken), cancellationToken);
}
