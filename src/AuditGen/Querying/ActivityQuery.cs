namespace AuditGen;

/// <summary>
/// A query of the log. Set any of <see cref="Entity"/>, <see cref="ActorId"/>, <see cref="OwnerId"/> and
/// <see cref="Action"/> (all that are set must match), or none for everything; narrow by time with
/// <see cref="Since"/> and <see cref="Until"/>; page with <see cref="Limit"/> and <see cref="Cursor"/>.
/// </summary>
/// <remarks>
/// Results are totally ordered by <see cref="ActivityRecord.Sequence"/>. A cursor is a keyset position, so pages
/// stay correct (no gaps, no duplicates) while records are appended. Every field is checked on init and the
/// message names it; <see cref="Validate"/> checks the fields against each other.
/// </remarks>
public sealed record ActivityQuery
{
    /// <summary>The default page size.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page size.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Only records about this entity.</summary>
    public EntityRef? Entity
    {
        get;
        init => field = value is { } entity ? ActivityValidation.EntityRef(entity, nameof(Entity), nameof(Entity)) : null;
    }

    /// <summary>Only records of this actor.</summary>
    public Guid? ActorId
    {
        get;
        init => field = value is { } id ? ActivityValidation.RequiredId(id, nameof(ActorId), nameof(ActorId)) : null;
    }

    /// <summary>Only records of data owned by this owner.</summary>
    public Guid? OwnerId
    {
        get;
        init => field = value is { } id ? ActivityValidation.RequiredId(id, nameof(OwnerId), nameof(OwnerId)) : null;
    }

    /// <summary>Only records of this action, such as <c>"create_task"</c>.</summary>
    public string? Action
    {
        get;
        init => field = value is null ? null : ActivityValidation.Action(value, nameof(Action));
    }

    /// <summary>Only records that occurred at or after this time (inclusive).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only records that occurred before this time (exclusive).</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The page size, 1 to 1000; 50 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1..1000.</exception>
    public int Limit
    {
        get;
        init
        {
            if (value is < 1 or > MaxLimit)
            {
                throw new ArgumentOutOfRangeException(nameof(Limit), value, $"Limit must be between 1 and {MaxLimit}.");
            }

            field = value;
        }
    } = DefaultLimit;

    /// <summary>Where to continue: the <see cref="ActivityPage.NextCursor"/> of the previous page of the same query. Opaque.</summary>
    public string? Cursor { get; init; }

    /// <summary>The order of results; <see cref="ActivityOrder.NewestFirst"/> unless set.</summary>
    public ActivityOrder Order
    {
        get;
        init
        {
            if (value is not (ActivityOrder.NewestFirst or ActivityOrder.OldestFirst))
            {
                throw new ArgumentOutOfRangeException(nameof(Order), value, "Order must be NewestFirst or OldestFirst.");
            }

            field = value;
        }
    } = ActivityOrder.NewestFirst;

    /// <summary>The history of one entity.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="limit">The page size, 1 to 1000.</param>
    /// <returns>The query.</returns>
    public static ActivityQuery ByEntity(EntityRef entity, int limit = DefaultLimit) => new() { Entity = entity, Limit = limit };

    /// <summary>Everything one actor did.</summary>
    /// <param name="actorId">The actor.</param>
    /// <param name="limit">The page size, 1 to 1000.</param>
    /// <returns>The query.</returns>
    public static ActivityQuery ByActor(Guid actorId, int limit = DefaultLimit) => new() { ActorId = actorId, Limit = limit };

    /// <summary>Everything done to one owner's data: the owner's activity feed.</summary>
    /// <param name="ownerId">The owner.</param>
    /// <param name="limit">The page size, 1 to 1000.</param>
    /// <returns>The query.</returns>
    public static ActivityQuery ByOwner(Guid ownerId, int limit = DefaultLimit) => new() { OwnerId = ownerId, Limit = limit };

    /// <summary>Every record of one action.</summary>
    /// <param name="action">The action, such as <c>"create_task"</c>.</param>
    /// <param name="limit">The page size, 1 to 1000.</param>
    /// <returns>The query.</returns>
    public static ActivityQuery ByAction(string action, int limit = DefaultLimit) => new() { Action = action, Limit = limit };

    /// <summary>Checks the fields against each other; adapters call this before running a query.</summary>
    /// <exception cref="ArgumentException"><see cref="Since"/> is after <see cref="Until"/>.</exception>
    public void Validate()
    {
        if (Since is { } since && Until is { } until && since > until)
        {
            throw new ArgumentException($"Since ({since:O}) must not be after Until ({until:O}).", nameof(Since));
        }
    }
}
