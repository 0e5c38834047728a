using System.ComponentModel;

namespace AuditGen.AspNetCore;

/// <summary>One logged action of the application.</summary>
/// <param name="Action">The action, such as <c>create_task</c>.</param>
/// <param name="EntityType">The type of entity it records, such as <c>Task</c>.</param>
public sealed record ActivityActionResponse(
    [property: Description("The action, such as create_task.")] string Action,
    [property: Description("The type of entity it records, such as Task.")] string EntityType);
