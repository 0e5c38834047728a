using System.Collections.Immutable;
using System.Text;

namespace AuditGen;

/// <summary>
/// What one use case did to one entity, field by field: the entity, whether it was added, modified or deleted, and its
/// property changes (<see cref="PropertyChange"/>). Part of <see cref="ActivityRecord.Changes"/>.
/// </summary>
/// <param name="Entity">The entity that changed.</param>
/// <param name="Kind">Added (old values null), modified (only the properties whose value changed) or deleted (new values null).</param>
/// <param name="Properties">The property changes; copied, and kept in ordinal order of their names, each name once.</param>
/// <remarks>Immutable, validated on construction and in every <c>with</c> copy; equality compares the properties by content.</remarks>
public sealed record EntityChange(EntityRef Entity, EntityChangeKind Kind, IReadOnlyList<PropertyChange> Properties)
{
    private readonly EntityRef _entity = ActivityValidation.EntityRef(Entity, nameof(Entity), nameof(Entity));
    private readonly EntityChangeKind _kind = ActivityValidation.ChangeKind(Kind, nameof(Kind));
    // Boxed once (a boxed ImmutableArray): the getter hands out this instance instead of boxing on every read.
    private readonly IReadOnlyList<PropertyChange> _properties = ActivityValidation.Boxed(Properties, ActivityValidation.PropertyChanges(Entity, Kind, Properties, nameof(Properties)));

    /// <summary>The entity that changed.</summary>
    public EntityRef Entity
    {
        get => _entity;
        init => _entity = ActivityValidation.EntityRef(value, nameof(Entity), nameof(Entity));
    }

    /// <summary>Whether the entity was added, modified or deleted.</summary>
    public EntityChangeKind Kind
    {
        get => _kind;
        init
        {
            _kind = ActivityValidation.ChangeKind(value, nameof(Kind));
            ActivityValidation.PropertyChanges(_entity, _kind, _properties, nameof(Kind));
        }
    }

    /// <summary>The property changes, in ordinal order of their names.</summary>
    public IReadOnlyList<PropertyChange> Properties
    {
        get => _properties;
        init => _properties = ActivityValidation.Boxed(value, ActivityValidation.PropertyChanges(_entity, _kind, value, nameof(Properties)));
    }

    /// <inheritdoc/>
    public bool Equals(EntityChange? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && _entity == other._entity && _kind == other._kind && Items.AsSpan().SequenceEqual(other.Items.AsSpan()));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_entity, _kind, _properties.Count);

    private ImmutableArray<PropertyChange> Items => (ImmutableArray<PropertyChange>)_properties;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Entity = ").Append(_entity).Append(", Kind = ").Append(_kind).Append(", Properties = [ ");
        for (int i = 0; i < _properties.Count; i++)
        {
            builder.Append(i == 0 ? "" : ", ").Append(_properties[i]);
        }

        builder.Append(" ]");
        return true;
    }
}
