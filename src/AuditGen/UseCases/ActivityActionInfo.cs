namespace AuditGen;

/// <summary>One logged action of the action catalog: which use case logs it, about which entity type.</summary>
/// <param name="Action">The action, such as <c>"create_task"</c>.</param>
/// <param name="EntityType">The entity type it records, such as <c>"Task"</c>.</param>
/// <param name="UseCaseType">The full name of the use-case type.</param>
/// <param name="Method">The logged method.</param>
public sealed record ActivityActionInfo(string Action, string EntityType, string UseCaseType, string Method);
