namespace AuditGen;

/// <summary>What happened to an entity in an <see cref="EntityChange"/>.</summary>
public enum EntityChangeKind
{
    /// <summary>The entity was created: each property's old value is null.</summary>
    Added,

    /// <summary>The entity was changed: only the properties whose value changed are listed.</summary>
    Modified,

    /// <summary>The entity was removed: each property's new value is null.</summary>
    Deleted,
}
