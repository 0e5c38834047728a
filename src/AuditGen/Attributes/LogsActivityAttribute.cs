namespace AuditGen;

/// <summary>
/// Marks a use case whose successful completion appends an <see cref="ActivityRecord"/> with this action.
/// The AuditGen source generator emits the code that appends it (a decorator for dependency injection, an
/// interceptor for direct calls); analyzers report a mapping it cannot build.
/// </summary>
/// <remarks>
/// On a method, or on a class with one use-case method. The record's actor, owner, entity and metadata come from
/// <see cref="ActorAttribute"/>, <see cref="OwnerAttribute"/>, <see cref="EntityIdAttribute"/> and
/// <see cref="ActivityMetadataAttribute"/>, or the conventions (<c>actorId</c>, <c>result.Id</c>, <c>result.OwnerId</c>).
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LogsActivityAttribute : Attribute
{
    /// <summary>Marks a use case that logs <paramref name="action"/>.</summary>
    /// <param name="action">The action name, 1-100 characters of <c>[a-z0-9_.:-]</c>, such as <c>"create_task"</c>.</param>
    public LogsActivityAttribute(string action) => Action = action;

    /// <summary>The action name recorded.</summary>
    public string Action { get; }

    /// <summary>The entity type recorded; by default the name of the type that holds the entity id.</summary>
    public string? EntityType { get; set; }
}
