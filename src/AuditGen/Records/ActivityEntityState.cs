namespace AuditGen;

/// <summary>
/// An entity as of a point in time, rebuilt from the changes recorded about it (<see cref="IActivityLogRepo.GetEntityStateAsync"/>).
/// </summary>
/// <param name="Entity">The entity.</param>
/// <param name="At">The point in time the state is for.</param>
/// <param name="IsComplete">
/// Whether the history is complete: the entity's creation was recorded, so every property it has is known. False when
/// the log holds only later changes (recorded before change capture, or by hand), so <paramref name="Properties"/> holds
/// only the properties those changes touched.
/// </param>
/// <param name="Properties">The properties and their values as of <paramref name="At"/>, in ordinal order of their names.</param>
public sealed record ActivityEntityState(EntityRef Entity, DateTimeOffset At, bool IsComplete, IReadOnlyDictionary<string, object?> Properties)
{
    /// <summary>Whether the entity was deleted at <see cref="At"/> (its last recorded change deleted it; <see cref="Properties"/> is then empty).</summary>
    public bool IsDeleted { get; init; }

    /// <summary>Properties whose current value was withheld (sensitive): they exist, their values were never stored.</summary>
    public IReadOnlyList<string> Withheld { get; init; } = [];

    /// <summary>The sequence of the newest record the state was rebuilt from.</summary>
    public long AsOfSequence { get; init; }

    /// <summary>
    /// Rebuilds the state of <paramref name="entity"/> as of <paramref name="at"/> from records read by the caller, oldest
    /// first — for readers that may see only part of the log (such as one owner's records). Records after
    /// <paramref name="at"/> must not be among them; changes of other entities are skipped.
    /// </summary>
    /// <param name="entity">The entity.</param>
    /// <param name="at">The point in time the state is for.</param>
    /// <param name="records">The entity's records up to <paramref name="at"/>, oldest first (<see cref="QueryFor"/> reads them).</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The state, or null when <paramref name="records"/> is empty.</returns>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Advanced)]
    public static ValueTask<ActivityEntityState?> RebuildAsync(EntityRef entity, DateTimeOffset at, IAsyncEnumerable<ActivityRecord> records, CancellationToken cancellationToken = default) =>
        ActivityEntityStates.RebuildAsync(entity, at, records, cancellationToken);

    /// <summary>The query of <paramref name="entity"/>'s records up to and including <paramref name="at"/>, oldest first.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="at">The point in time.</param>
    /// <param name="ownerId">Only this owner's records, or null for all.</param>
    /// <returns>The query.</returns>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Advanced)]
    public static ActivityQuery QueryFor(EntityRef entity, DateTimeOffset at, Guid? ownerId = null) => ActivityEntityStates.QueryFor(entity, at, ownerId);
}
