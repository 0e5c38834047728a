using System.ComponentModel;

namespace AuditGen;

/// <summary>
/// How generated interceptors reach a use case's own log, in any assembly. The AuditGen generator implements it
/// (explicitly) on every partial use-case class that holds an <see cref="IActivityLogRepo"/>; application code never needs it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ILoggedUseCase
{
    /// <summary>The use case's log: its <see cref="IActivityLogRepo"/> constructor parameter, field or property.</summary>
    IActivityLogRepo ActivityLog { get; }

    /// <summary>The use case's <see cref="IActorAccessor"/>, if it has one.</summary>
    IActorAccessor? ActorAccessor { get; }
}
