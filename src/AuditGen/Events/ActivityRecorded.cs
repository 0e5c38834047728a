namespace AuditGen;

/// <summary>Event <c>ActivityRecorded</c> version 1: a record was stored.</summary>
/// <param name="RecordId">The stored record's id.</param>
/// <param name="ActorId">Who performed the action.</param>
/// <param name="OwnerId">Whose data it touched.</param>
/// <param name="Action">What was done.</param>
/// <param name="EntityRef">The entity it was done to.</param>
public sealed record ActivityRecorded(Guid RecordId, Guid ActorId, Guid OwnerId, string Action, EntityRef EntityRef)
{
    /// <summary>The event's name on the wire.</summary>
    public const string Name = "ActivityRecorded";

    /// <summary>The event's schema version.</summary>
    public const int Version = 1;

    /// <summary>The event for a stored record.</summary>
    /// <param name="record">The stored record.</param>
    /// <returns>The event.</returns>
    public static ActivityRecorded From(ActivityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.RecordId, record.ActorId, record.OwnerId, record.Action, record.EntityRef);
    }
}
