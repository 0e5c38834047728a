namespace AuditGen;

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
