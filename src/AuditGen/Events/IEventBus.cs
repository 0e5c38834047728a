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
