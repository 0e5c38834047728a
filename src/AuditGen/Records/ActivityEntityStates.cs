using System.Collections.Immutable;

namespace AuditGen;

/// <summary>Rebuilds an entity's state from its recorded changes: the default of <see cref="IActivityLogRepo.GetEntityStateAsync"/>.</summary>
internal static class ActivityEntityStates
{
    /// <summary>The query of the entity's records up to and including <paramref name="at"/>, oldest first, in the largest pages.</summary>
    public static ActivityQuery QueryFor(EntityRef entity, DateTimeOffset at, Guid? ownerId = null) => new()
    {
        Entity = ActivityValidation.EntityRef(entity, nameof(entity), "entity"),
        OwnerId = ownerId,
        // "As of at", inclusive. One microsecond past it, so a store that keeps microseconds (PostgreSQL) and truncates the
        // bound still finds a record at exactly `at`; the rebuild skips anything after `at` itself.
        Until = at.UtcTicks >= DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerMicrosecond ? null : at.AddTicks(TimeSpan.TicksPerMicrosecond),
        Order = ActivityOrder.OldestFirst,
        Limit = ActivityQuery.MaxLimit,
    };

    /// <summary>
    /// Applies each change of <paramref name="entity"/> in <paramref name="records"/> (oldest first, in log order): an
    /// addition starts a complete state, a modification sets the new values, a deletion empties it.
    /// </summary>
    public static async ValueTask<ActivityEntityState?> RebuildAsync(EntityRef entity, DateTimeOffset at, IAsyncEnumerable<ActivityRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var properties = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        var withheld = new SortedSet<string>(StringComparer.Ordinal);
        bool complete = false, deleted = false;
        long last = 0;
        await foreach (ActivityRecord record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (record.OccurredAt > at)
            {
                continue; // within the query's microsecond of slack, but after `at`
            }

            last = record.Sequence;
            foreach (EntityChange change in record.Changes)
            {
                if (change.Entity != entity)
                {
                    continue;
                }

                if (change.Kind != EntityChangeKind.Modified)
                {
                    properties.Clear();
                    withheld.Clear();
                    complete |= change.Kind == EntityChangeKind.Added;
                    deleted = change.Kind == EntityChangeKind.Deleted;
                    if (deleted)
                    {
                        continue;
                    }
                }

                foreach (PropertyChange property in change.Properties)
                {
                    if (property.Withheld)
                    {
                        properties.Remove(property.Name);
                        withheld.Add(property.Name);
                    }
                    else
                    {
                        withheld.Remove(property.Name);
                        properties[property.Name] = property.NewValue;
                    }
                }
            }
        }

        return last == 0
            ? null
            : new ActivityEntityState(entity, at, complete, properties.ToImmutableSortedDictionary(StringComparer.Ordinal))
            {
                IsDeleted = deleted,
                Withheld = [.. withheld],
                AsOfSequence = last,
            };
    }
}
