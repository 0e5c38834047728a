using System.ComponentModel;

namespace AuditGen.AspNetCore;

/// <summary>A legal hold to place: exactly one of an actor, an owner, or an entity (type and id), and why.</summary>
/// <param name="ActorId">Holds every record this actor made.</param>
/// <param name="OwnerId">Holds every record this owner owns.</param>
/// <param name="EntityType">With <paramref name="EntityId"/>: holds every record of this entity.</param>
/// <param name="EntityId">With <paramref name="EntityType"/>.</param>
/// <param name="Reason">Why (a case, a request); required.</param>
public sealed record ActivityLegalHoldRequest(
    [property: Description("Holds every record this actor made.")] Guid? ActorId,
    [property: Description("Holds every record this owner owns.")] Guid? OwnerId,
    [property: Description("With entityId: holds every record of this entity.")] string? EntityType,
    [property: Description("With entityType.")] string? EntityId,
    [property: Description("Why the records are held (a case, a request). Required, at most 1,000 characters.")] string? Reason);
