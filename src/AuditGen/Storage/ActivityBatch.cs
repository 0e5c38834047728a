using System.ComponentModel;

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
}

/// <summary>Runs a schema migration once per adapter instance, however many callers arrive at once. For adapter implementations.</summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class SchemaGate(Func<CancellationToken, Task> migrate, bool enabled = true)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done = !enabled;

    /// <summary>Completes once the migration has run (at once after the first time, or when disabled).</summary>
    /// <param name="cancellationToken">Cancels waiting for, or running, the migration.</param>
    /// <returns>A task that completes when the schema is ready.</returns>
    public async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_done)
            {
                await migrate(cancellationToken).ConfigureAwait(false);
                _done = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
