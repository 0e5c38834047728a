using System.Diagnostics.CodeAnalysis;
namespace AuditGen;

/// <summary>The optional event bus port: gets <see cref="ActivityRecorded"/> after each record is stored.</summary>
public interface IEventBus
{
    /// <summary>Publishes an event. A bus that throws is logged and never un-appends the record.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">The append's cancellation token.</param>
    /// <returns>A task that completes when the event is published.</returns>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords",
        Justification = "The contract's name (DESIGN.md); C# callers write @event, and the port is not meant for Visual Basic.")]
    ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : notnull;
}

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
