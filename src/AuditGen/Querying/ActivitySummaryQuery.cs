namespace AuditGen;

/// <summary>
/// What to count: the records of one actor (an audit: what did they do) or of one owner's data, optionally within a time
/// window, per action. Exactly one of <see cref="ActorId"/> and <see cref="OwnerId"/>.
/// </summary>
public sealed record ActivitySummaryQuery
{
    /// <summary>Count what this actor did.</summary>
    public Guid? ActorId
    {
        get;
        init => field = value is { } id ? ActivityValidation.RequiredId(id, nameof(ActorId), nameof(ActorId)) : null;
    }

    /// <summary>Count what was done to this owner's data.</summary>
    public Guid? OwnerId
    {
        get;
        init => field = value is { } id ? ActivityValidation.RequiredId(id, nameof(OwnerId), nameof(OwnerId)) : null;
    }

    /// <summary>Only records that occurred at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only records that occurred before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>An actor's records per action.</summary>
    /// <param name="actorId">The actor.</param>
    /// <param name="since">Inclusive start, or none.</param>
    /// <param name="until">Exclusive end, or none.</param>
    /// <returns>The query.</returns>
    public static ActivitySummaryQuery ByActor(Guid actorId, DateTimeOffset? since = null, DateTimeOffset? until = null) =>
        new() { ActorId = actorId, Since = since, Until = until };

    /// <summary>An owner's records per action.</summary>
    /// <param name="ownerId">The owner.</param>
    /// <param name="since">Inclusive start, or none.</param>
    /// <param name="until">Exclusive end, or none.</param>
    /// <returns>The query.</returns>
    public static ActivitySummaryQuery ByOwner(Guid ownerId, DateTimeOffset? since = null, DateTimeOffset? until = null) =>
        new() { OwnerId = ownerId, Since = since, Until = until };

    /// <summary>Checks the fields against each other; adapters call this before counting.</summary>
    /// <exception cref="ArgumentException">Not exactly one of <see cref="ActorId"/> and <see cref="OwnerId"/>, or <see cref="Since"/> is after <see cref="Until"/>.</exception>
    public void Validate()
    {
        if (ActorId is null == OwnerId is null)
        {
            throw new ArgumentException("A summary counts the records of one actor or of one owner: set exactly one of ActorId and OwnerId.", nameof(ActorId));
        }

        if (Since is { } since && Until is { } until && since > until)
        {
            throw new ArgumentException($"Since ({since:O}) must not be after Until ({until:O}).", nameof(Since));
        }
    }

    /// <summary>The page query that reads the same records (for adapters without a counting query).</summary>
    /// <returns>Oldest first, the largest pages.</returns>
    public ActivityQuery ToQuery() =>
        new() { ActorId = ActorId, OwnerId = OwnerId, Since = Since, Until = Until, Limit = ActivityQuery.MaxLimit, Order = ActivityOrder.OldestFirst };
}
