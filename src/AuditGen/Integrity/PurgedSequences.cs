namespace AuditGen.Integrity;

/// <summary>The sequences signed purge records say they removed, merged and sorted, for the verifier's lookups.</summary>
internal sealed class PurgedSequences
{
    private readonly ActivitySequenceRange[] _ranges;

    private PurgedSequences(ActivitySequenceRange[] ranges) => _ranges = ranges;

    /// <summary>Whether a signed purge removed <paramref name="sequence"/>.</summary>
    public bool Contains(long sequence)
    {
        int low = 0, high = _ranges.Length - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            if (sequence < _ranges[middle].First)
            {
                high = middle - 1;
            }
            else if (sequence > _ranges[middle].Last)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads every purge record of <paramref name="log"/> (by its action's index) and keeps the ranges of those signed with
    /// a trusted key; the first one whose signature does not verify is returned as forged, with why.
    /// </summary>
    public static async Task<(PurgedSequences Purged, ActivityRecord? Forged, string? Problem)> ReadAsync(object log,
        IReadOnlyCollection<ActivityCheckpointKey> trustedKeys, CancellationToken cancellationToken)
    {
        var ranges = new List<ActivitySequenceRange>();
        if (log is IActivityLogRepo repo)
        {
            ActivityQuery query = ActivityQuery.ByAction(ActivityRetentionRecords.PurgeAction) with { Order = ActivityOrder.OldestFirst, Limit = ActivityQuery.MaxLimit };
            while (true)
            {
                ActivityPage page = await repo.QueryAsync(query, cancellationToken).ConfigureAwait(false);
                foreach (ActivityRecord record in page.Items)
                {
                    if (ActivityRetentionRecords.ReadSignedPurge(record, trustedKeys, out IReadOnlyList<ActivitySequenceRange> removed) is { } problem)
                    {
                        return (new PurgedSequences([]), record, problem);
                    }

                    ranges.AddRange(removed);
                }

                if (page.NextCursor is null)
                {
                    break;
                }

                query = query with { Cursor = page.NextCursor };
            }
        }

        return (new PurgedSequences([.. ranges.OrderBy(r => r.First)]), null, null);
    }
}
