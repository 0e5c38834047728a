using AuditGen.InMemory;

namespace AuditGen;

/// <summary>Counts per action from the actor's or owner's index: O(k) for the k records in the window.</summary>
public sealed partial class InMemoryActivityLogRepo
{
    /// <inheritdoc/>
    public ValueTask<ActivitySummary> SummarizeAsync(ActivitySummaryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        PositionIndex? index = query.ActorId is { } actor ? _byActor.GetValueOrDefault(actor) : _byOwner.GetValueOrDefault(query.OwnerId!.Value);
        if (index is null)
        {
            return new ValueTask<ActivitySummary>(ActivitySummary.From([]));
        }

        ReadOnlySpan<int> positions = index.Positions;
        ReadOnlySpan<ActivityRecord> records = _records.Snapshot();
        int lo = 0, hi = positions.Length;
        bool timeOrdered = index.IsTimeOrdered;
        if (timeOrdered)
        {
            lo = query.Since is { } since ? LowerBound(positions, records, since) : 0;
            hi = query.Until is { } until ? LowerBound(positions, records, until) : positions.Length;
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = lo; i < hi; i++)
        {
            ActivityRecord record = records[positions[i]];
            if (timeOrdered || ((query.Since is not { } from || record.OccurredAt >= from) && (query.Until is not { } to || record.OccurredAt < to)))
            {
                counts[record.Action] = counts.GetValueOrDefault(record.Action) + 1;
            }
        }

        return new ValueTask<ActivitySummary>(ActivitySummary.From(counts.Select(static c => new ActivityActionCount(c.Key, c.Value))));
    }
}
