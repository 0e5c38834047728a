namespace AuditGen;

/// <summary>
/// A legal hold: records of one actor, one owner or one entity that no retention purge may remove while the hold is in
/// place. Exactly one of <see cref="ActorId"/>, <see cref="OwnerId"/> and <see cref="Entity"/> is set; create holds with
/// <see cref="ForActor"/>, <see cref="ForOwner"/> or <see cref="ForEntity"/>.
/// </summary>
public sealed record ActivityLegalHold
{
    /// <summary>The most characters of a hold's reason.</summary>
    public const int MaxReasonLength = 1_000;

    private ActivityLegalHold(string name, Guid? actorId, Guid? ownerId, EntityRef? entity, string reason, DateTimeOffset placedAt)
    {
        if (!ActivityValidation.IsValidAction(name))
        {
            throw new ArgumentException($"Name '{name}' {ActivityValidation.ActionRule}.", nameof(name));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (reason.Length > MaxReasonLength)
        {
            throw new ArgumentException($"Reason must be at most {MaxReasonLength} characters; it has {reason.Length}.", nameof(reason));
        }

        Name = name;
        ActorId = actorId is { } actor ? ActivityValidation.RequiredId(actor, nameof(actorId), "ActorId") : null;
        OwnerId = ownerId is { } owner ? ActivityValidation.RequiredId(owner, nameof(ownerId), "OwnerId") : null;
        Entity = entity is { } e ? ActivityValidation.EntityRef(e, nameof(entity), "Entity") : null;
        Reason = reason;
        PlacedAt = placedAt;
    }

    /// <summary>The hold's name, unique in the log (the rule of an action: 1-100 characters of [a-z0-9_.:-]), such as <c>case-2026-114</c>.</summary>
    public string Name { get; }

    /// <summary>Holds every record this actor made, when set.</summary>
    public Guid? ActorId { get; }

    /// <summary>Holds every record this owner owns, when set.</summary>
    public Guid? OwnerId { get; }

    /// <summary>Holds every record of this entity, when set.</summary>
    public EntityRef? Entity { get; }

    /// <summary>Why the records are held (a case, a request), for the audit trail.</summary>
    public string Reason { get; }

    /// <summary>When the hold was placed; set by the store.</summary>
    public DateTimeOffset PlacedAt { get; }

    /// <summary>Holds every record <paramref name="actorId"/> made.</summary>
    /// <param name="name">The hold's name.</param>
    /// <param name="actorId">The actor.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The hold.</returns>
    /// <exception cref="ArgumentException">The name, the id or the reason is invalid.</exception>
    public static ActivityLegalHold ForActor(string name, Guid actorId, string reason) => new(name, actorId, null, null, reason, default);

    /// <summary>Holds every record <paramref name="ownerId"/> owns.</summary>
    /// <param name="name">The hold's name.</param>
    /// <param name="ownerId">The owner.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The hold.</returns>
    /// <exception cref="ArgumentException">The name, the id or the reason is invalid.</exception>
    public static ActivityLegalHold ForOwner(string name, Guid ownerId, string reason) => new(name, null, ownerId, null, reason, default);

    /// <summary>Holds every record of <paramref name="entity"/>.</summary>
    /// <param name="name">The hold's name.</param>
    /// <param name="entity">The entity.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The hold.</returns>
    /// <exception cref="ArgumentException">The name, the entity or the reason is invalid.</exception>
    public static ActivityLegalHold ForEntity(string name, EntityRef entity, string reason) => new(name, null, null, entity, reason, default);

    /// <summary>This hold as placed at <paramref name="at"/> (stores use it when they read or write holds).</summary>
    /// <param name="at">When it was placed.</param>
    /// <returns>The hold with <see cref="PlacedAt"/>.</returns>
    public ActivityLegalHold PlacedOn(DateTimeOffset at) => new(Name, ActorId, OwnerId, Entity, Reason, at);

    /// <summary>What is held, for messages and records: <c>actor …</c>, <c>owner …</c> or <c>entity Type/Id</c>.</summary>
    public string Target => ActorId is { } actor ? $"actor {actor}" : OwnerId is { } owner ? $"owner {owner}" : $"entity {Entity!.Value.EntityType}/{Entity.Value.EntityId}";
}
