namespace AuditGen;

/// <summary>The source of the record's actor: a <see cref="Guid"/> parameter, or a property of a parameter or of the result.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ActorAttribute : Attribute;
