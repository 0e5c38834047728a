namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// The changes of one entity while a use case runs, merged across its <c>SaveChanges</c> calls: the first old value and
/// the last new value of each property; added then modified stays added (with the final values); added then deleted
/// leaves nothing; deleted then added again is a modification. Many-to-many links are kept as the related keys linked
/// and unlinked (a link made and removed again cancels out).
/// </summary>
internal sealed class EntityChangeBuilder(EntityRef entity, EntityChangeKind kind)
{
    private readonly Dictionary<string, Slot> _properties = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, Links> NoLinks = [];

    private Dictionary<string, Links>? _links; // most entities have no many-to-many links: made on the first

    public EntityRef Entity { get; } = entity;

    public EntityChangeKind Kind { get; private set; } = kind;

    /// <summary>Whether the entity was added and then deleted again: nothing to record.</summary>
    public bool Vanished { get; private set; }

    /// <summary>Sets a property's values in this change (the values of one save).</summary>
    /// <remarks>
    /// Values are whole record values (<see cref="ChangeValues.ToRecordValue"/>); withheld ones stay in memory only, to
    /// compare. A personal property's values are recorded as <paramref name="subject"/>'s <see cref="PersonalValue"/>s (the
    /// record's owner when null); when its entity names its subject (<see cref="DataSubjectAttribute"/>) but the write did
    /// not read it, the values are withheld rather than sealed under the wrong person's key.
    /// </remarks>
    public void Set(PropertyPlan property, object? oldValue, object? newValue, Guid? subject = null) =>
        _properties[property.Name] = new Slot(oldValue, newValue, property.Withheld || (property.Personal && property.SubjectOnEntity && subject is null),
            property.Personal, subject);

    /// <summary>Records that the skip navigation <paramref name="navigation"/> now links (or no longer links) <paramref name="related"/>.</summary>
    public void Link(string navigation, string related, bool linked)
    {
        _links ??= new Dictionary<string, Links>(StringComparer.Ordinal);
        if (!_links.TryGetValue(navigation, out Links? links))
        {
            _links[navigation] = links = new Links();
        }

        (HashSet<string> add, HashSet<string> cancel) = linked ? (links.Linked, links.Unlinked) : (links.Unlinked, links.Linked);
        if (!cancel.Remove(related))
        {
            add.Add(related);
        }
    }

    /// <summary>A change of the same entity's owned reference or links, found in the same save, joins this one.</summary>
    public void Absorb(EntityChangeBuilder part)
    {
        foreach ((string name, Slot slot) in part._properties)
        {
            _properties[name] = slot;
        }

        foreach ((string navigation, Links links) in part._links ?? NoLinks)
        {
            foreach (string key in links.Linked)
            {
                Link(navigation, key, linked: true);
            }

            foreach (string key in links.Unlinked)
            {
                Link(navigation, key, linked: false);
            }
        }
    }

    /// <summary>Merges a later save's change of the same entity into this one.</summary>
    public void Merge(EntityChangeBuilder later)
    {
        switch (Kind, later.Kind)
        {
            case (EntityChangeKind.Added, EntityChangeKind.Deleted):
                Vanished = true;
                _properties.Clear();
                _links = null;
                return;
            case (EntityChangeKind.Deleted, EntityChangeKind.Added):
                Kind = EntityChangeKind.Modified;
                break;
            case (EntityChangeKind.Modified, EntityChangeKind.Deleted):
                Kind = EntityChangeKind.Deleted;
                break;
        }

        foreach ((string name, Slot slot) in later._properties)
        {
            _properties[name] = _properties.TryGetValue(name, out Slot first)
                ? new Slot(first.Old, slot.New, first.Withheld || slot.Withheld, first.Personal || slot.Personal, slot.Subject ?? first.Subject)
                : slot;
        }

        foreach ((string navigation, Links links) in later._links ?? NoLinks)
        {
            foreach (string key in links.Linked)
            {
                Link(navigation, key, linked: true);
            }

            foreach (string key in links.Unlinked)
            {
                Link(navigation, key, linked: false);
            }
        }
    }

    /// <summary>
    /// The change as recorded, values withheld or cut as <paramref name="maxLength"/> says and personal ones wrapped for
    /// sealing (under <paramref name="owner"/>, the record's owner, unless the entity names its subject); null when nothing
    /// is left to record.
    /// </summary>
    public EntityChange? Build(int maxLength, Guid owner)
    {
        if (Vanished)
        {
            return null;
        }

        var properties = new List<PropertyChange>(_properties.Count + (_links?.Count ?? 0));
        foreach ((string name, Slot slot) in _properties)
        {
            object? oldValue = Kind == EntityChangeKind.Added ? null : slot.Old;
            object? newValue = Kind == EntityChangeKind.Deleted ? null : slot.New;
            if (Kind == EntityChangeKind.Modified && ChangeValues.Same(oldValue, newValue))
            {
                continue;
            }

            if (slot.Withheld)
            {
                properties.Add(PropertyChange.WithheldChange(name));
                continue;
            }

            oldValue = ChangeValues.Cut(oldValue, maxLength, out bool oldCut);
            newValue = ChangeValues.Cut(newValue, maxLength, out bool newCut);
            if (slot.Personal)
            {
                Guid subject = slot.Subject ?? owner;
                oldValue = oldValue is null ? null : new PersonalValue(subject, oldValue);
                newValue = newValue is null ? null : new PersonalValue(subject, newValue);
            }

            properties.Add(new PropertyChange(name, oldValue, newValue) { Truncated = oldCut || newCut });
        }

        foreach ((string navigation, Links links) in _links ?? NoLinks)
        {
            string[] unlinked = Kind == EntityChangeKind.Added ? [] : [.. links.Unlinked.Order(StringComparer.Ordinal)];
            string[] linked = Kind == EntityChangeKind.Deleted ? [] : [.. links.Linked.Order(StringComparer.Ordinal)];
            if (unlinked.Length > 0 || linked.Length > 0)
            {
                properties.Add(new PropertyChange(navigation, unlinked.Length > 0 ? unlinked : null, linked.Length > 0 ? linked : null));
            }
        }

        return Kind == EntityChangeKind.Modified && properties.Count == 0 ? null : new EntityChange(Entity, Kind, properties);
    }

    private readonly record struct Slot(object? Old, object? New, bool Withheld, bool Personal, Guid? Subject);

    private sealed class Links
    {
        public HashSet<string> Linked { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Unlinked { get; } = new(StringComparer.Ordinal);
    }
}
