namespace AuditGen;

/// <summary>The source of the record's entity id (a <see cref="Guid"/> or a string): a parameter, or a property of a parameter or of the result.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class EntityIdAttribute : Attribute;
