using System.ComponentModel;

namespace AuditGen.AspNetCore;

/// <summary>A legal hold in place.</summary>
/// <param name="Name">The hold's name.</param>
/// <param name="ActorId">The held actor, when the hold is by actor.</param>
/// <param name="OwnerId">The held owner, when the hold is by owner.</param>
/// <param name="EntityType">The held entity's type, when the hold is by entity.</param>
/// <param name="EntityId">The held entity's id, when the hold is by entity.</param>
/// <param name="Reason">Why.</param>
/// <param name="PlacedAt">When it was placed.</param>
public sealed record ActivityLegalHoldResponse(
    [property: Description("The hold's name.")] string Name,
    [property: Description("The held actor, when the hold is by actor.")] Guid? ActorId,
    [property: Description("The held owner, when the hold is by owner.")] Guid? OwnerId,
    [property: Description("The held entity's type, when the hold is by entity.")] string? EntityType,
    [property: Description("The held entity's id, when the hold is by entity.")] string? EntityId,
    [property: Description("Why the records are held.")] string Reason,
    [property: Description("When the hold was placed.")] DateTimeOffset PlacedAt)
{
    internal static ActivityLegalHoldResponse From(ActivityLegalHold hold) =>
        new(hold.Name, hold.ActorId, hold.OwnerId, hold.Entity?.EntityType, hold.Entity?.EntityId, hold.Reason, hold.PlacedAt);
}
