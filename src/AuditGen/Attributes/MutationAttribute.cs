namespace AuditGen;

/// <summary>
/// Marks a method (or every method of an interface or class) as mutating state; the coverage analyzer requires
/// a use case that calls it to be logged or explicitly excused.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Interface | AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class MutationAttribute : Attribute;
