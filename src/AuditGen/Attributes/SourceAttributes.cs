namespace AuditGen;

/// <summary>The source of the record's actor: a <see cref="Guid"/> parameter, or a property of a parameter or of the result.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ActorAttribute : Attribute;

/// <summary>The source of the record's owner: a <see cref="Guid"/> parameter, or a property of a parameter or of the result.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class OwnerAttribute : Attribute;

/// <summary>The source of the record's entity id (a <see cref="Guid"/> or a string): a parameter, or a property of a parameter or of the result.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class EntityIdAttribute : Attribute;

/// <summary>
/// Includes this parameter or property in the record's metadata. Nothing is included by default: privacy first.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ActivityMetadataAttribute : Attribute
{
    /// <summary>Includes the value under the member's camelCase name.</summary>
    public ActivityMetadataAttribute()
    {
    }

    /// <summary>Includes the value under <paramref name="key"/>.</summary>
    /// <param name="key">The metadata key, 1-100 characters.</param>
    public ActivityMetadataAttribute(string key) => Key = key;

    /// <summary>The metadata key; <see langword="null"/> for the member's camelCase name.</summary>
    public string? Key { get; }
}

/// <summary>
/// An explicit, reasoned opt-out: this mutating method (or every method of this class) is deliberately not logged.
/// Satisfies the coverage analyzer.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NotLoggedAttribute : Attribute
{
    /// <summary>Opts out, saying why.</summary>
    /// <param name="reason">Why the mutation needs no activity record, for reviewers.</param>
    public NotLoggedAttribute(string reason) => Reason = reason;

    /// <summary>Why the mutation needs no activity record.</summary>
    public string Reason { get; }
}

/// <summary>
/// Marks a method (or every method of an interface or class) as mutating state; the coverage analyzer requires
/// a use case that calls it to be logged or explicitly excused.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Interface | AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class MutationAttribute : Attribute;
