namespace AuditGen;

/// <summary>
/// Identifies the entity an activity was performed on, such as <c>Task#3f2c…</c>.
/// </summary>
/// <param name="EntityType">The entity's type name, 1-100 characters without control characters, such as <c>"Task"</c>.</param>
/// <param name="EntityId">The entity's identifier, 1-200 characters without control characters.</param>
/// <remarks>
/// Equality is ordinal and case-sensitive. The rules are checked where the reference is used
/// (<see cref="ActivityRecord"/>, <see cref="ActivityQuery"/>), so <c>default(EntityRef)</c> never reaches the log.
/// </remarks>
public readonly record struct EntityRef(string EntityType, string EntityId)
{
    /// <summary>Creates a reference to an entity identified by a <see cref="Guid"/>, formatted <c>"D"</c>.</summary>
    /// <param name="entityType">The entity's type name, such as <c>"Task"</c>.</param>
    /// <param name="entityId">The entity's identifier.</param>
    public EntityRef(string entityType, Guid entityId)
        : this(entityType, entityId.ToString("D"))
    {
    }

    /// <summary>
    /// Creates a reference to an entity identified by an integer (<see cref="int"/>, <see cref="long"/>, <see cref="short"/>,
    /// <see cref="byte"/>, their unsigned forms up to <see cref="uint"/>), formatted as invariant decimal digits.
    /// </summary>
    /// <param name="entityType">The entity's type name, such as <c>"Order"</c>.</param>
    /// <param name="entityId">The entity's identifier.</param>
    public EntityRef(string entityType, long entityId)
        : this(entityType, entityId.ToString(System.Globalization.CultureInfo.InvariantCulture))
    {
    }

    /// <summary>Creates a reference to an entity identified by a <see cref="ulong"/>, formatted as invariant decimal digits.</summary>
    /// <param name="entityType">The entity's type name, such as <c>"Order"</c>.</param>
    /// <param name="entityId">The entity's identifier.</param>
    public EntityRef(string entityType, ulong entityId)
        : this(entityType, entityId.ToString(System.Globalization.CultureInfo.InvariantCulture))
    {
    }

    /// <summary>Returns <c>EntityType#EntityId</c>, the form used in activity feeds.</summary>
    /// <returns>The reference as <c>EntityType#EntityId</c>.</returns>
    public override string ToString() => $"{EntityType}#{EntityId}";
}
