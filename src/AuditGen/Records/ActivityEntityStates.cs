using AuditGen.Storage;

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
        var state = new ActivityEntityStateBuilder(entity, at);
        await foreach (ActivityRecord record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            state.Apply(record);
        }

        return state.Build();
    }
}
