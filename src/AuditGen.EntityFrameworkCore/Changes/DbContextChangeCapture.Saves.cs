using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// The capture of <c>SaveChanges</c>: before a save, the entries it is about to write, with the originals only the tracker
/// has then (read from the database for disconnected entries) and all of a deleted entry or a removed link; after the save,
/// their final values, with the keys the database generated, as the save's changes of each entity.
/// </summary>
internal sealed partial class DbContextChangeCapture
{
    private List<Pending>? _pending;
    private Dictionary<EntityRef, EntityChangeBuilder>? _save;

    /// <summary>Notes the entries a save is about to write, with the values only the tracker (or the database) has now.</summary>
    public async ValueTask BeforeSaveAsync(DbContext context, bool async, CancellationToken cancellationToken)
    {
        if (context.ChangeTracker.AutoDetectChangesEnabled)
        {
            context.ChangeTracker.DetectChanges();
        }

        _pending = [];
        _save = [];
        List<Pending>? disconnected = null;
        foreach (EntityEntry entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            EntityCapturePlan plan = _plans.For(entry.Metadata);
            if (plan.JoinSides.Length > 0)
            {
                if (entry.State == EntityState.Deleted)
                {
                    Link(entry, plan, linked: false, useOriginals: true);
                }
                else if (entry.State == EntityState.Added)
                {
                    _pending.Add(new Pending(entry, plan, EntityState.Added, null));
                }

                continue;
            }

            if (plan.Ignored)
            {
                continue;
            }

            switch (entry.State)
            {
                case EntityState.Deleted:
                    Deleted(entry, plan);
                    break;
                case EntityState.Modified when !IsDisconnected(entry, plan):
                    _pending.Add(new Pending(entry, plan, EntityState.Modified, entry.OriginalValues.Clone()));
                    break;
                case EntityState.Modified when plan.IsOwnedPart || entry.Metadata.IsOwned():
                    // An owned type cannot be queried on its own: its entry reads its row.
                    PropertyValues? originals = async ? await entry.GetDatabaseValuesAsync(cancellationToken).ConfigureAwait(false) : entry.GetDatabaseValues();
                    if (originals is not null)
                    {
                        _pending.Add(new Pending(entry, plan, EntityState.Modified, originals.Clone()));
                    }

                    break;
                case EntityState.Modified:
                    (disconnected ??= []).Add(new Pending(entry, plan, EntityState.Modified, null));
                    break;
                default:
                    _pending.Add(new Pending(entry, plan, EntityState.Added, null));
                    break;
            }
        }

        if (disconnected is not null)
        {
            await ReadOriginalsAsync(context, disconnected, async, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads the originals of disconnected entries from the database, inside the transaction: one query per entity type,
    /// however many entries of it the save holds (their keys as one parameter list). A row that is gone is not recorded
    /// (the save then fails on its own).
    /// </summary>
    private async ValueTask ReadOriginalsAsync(DbContext context, List<Pending> disconnected, bool async, CancellationToken cancellationToken)
    {
        foreach (IGrouping<IEntityType, Pending> entries in disconnected.GroupBy(static p => p.Entry.Metadata))
        {
            List<Pending> group = [.. entries];
            BulkReadPlan read = _plans.BulkRead(entries.Key, group[0].Plan, null, deleting: true);
            var keys = group.Select(p => read.Keys.Select(k => p.Entry.Property(k).CurrentValue).ToList()).ToList();
            List<List<object?>> rows = await BulkWrite.ReadByKeysAsync(context, entries.Key, read, keys, async, cancellationToken).ConfigureAwait(false);
            var byId = rows.ToDictionary(read.Id, StringComparer.Ordinal);
            for (int i = 0; i < keys.Count; i++)
            {
                if (byId.TryGetValue(ChangeValues.Id(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keys[i])), out List<object?>? row))
                {
                    var values = new Dictionary<IProperty, object?>(read.Properties.Length);
                    for (int p = 0; p < read.Properties.Length; p++)
                    {
                        values[read.Properties[p].Property] = row[read.Keys.Count + p];
                    }

                    _pending!.Add(group[i] with { Read = values });
                }
            }
        }
    }

    /// <summary>Reads the saved entries' final values (with generated keys) and merges the save into the use case's changes.</summary>
    public void AfterSave()
    {
        if (_pending is null || _save is null)
        {
            return;
        }

        foreach (Pending pending in _pending)
        {
            if (pending.Plan.JoinSides.Length > 0)
            {
                Link(pending.Entry, pending.Plan, linked: true, useOriginals: false);
                continue;
            }

            PropertyValues current = pending.Entry.CurrentValues;
            EntityChangeBuilder change = Change(Id(pending.Plan, current),
                pending.State == EntityState.Added && !pending.Plan.IsOwnedPart ? EntityChangeKind.Added : EntityChangeKind.Modified);
            foreach (PropertyPlan property in pending.Plan.Properties)
            {
                object? newValue = current[property.Property];
                if (pending.Read is { } read)
                {
                    if (!read.TryGetValue(property.Property, out object? oldValue))
                    {
                        continue; // not readable in one query (a complex property without a CLR property)
                    }

                    if (!property.Comparer.Equals(oldValue, newValue))
                    {
                        change.Set(property, ChangeValues.ToRecordValue(oldValue), ChangeValues.ToRecordValue(newValue), pending.Plan.SubjectOf(current));
                    }
                }
                else if (pending.Originals is { } originals)
                {
                    object? oldValue = originals[property.Property];
                    if (!property.Comparer.Equals(oldValue, newValue))
                    {
                        change.Set(property, ChangeValues.ToRecordValue(oldValue), ChangeValues.ToRecordValue(newValue), pending.Plan.SubjectOf(current));
                    }
                }
                else
                {
                    change.Set(property, null, ChangeValues.ToRecordValue(newValue), pending.Plan.SubjectOf(current));
                }
            }
        }

        Merge(_save.Values);
        Discard();
    }

    /// <summary>Forgets a save that failed or was cancelled: it changed nothing.</summary>
    public void Discard()
    {
        _pending = null;
        _save = null;
    }

    /// <summary>
    /// Whether the tracker has no originals for a modified entry: it was attached as modified (<c>Update</c>, or
    /// <c>Attach</c> and state Modified), so a property marked modified holds its new value as the original too.
    /// </summary>
    private static bool IsDisconnected(EntityEntry entry, EntityCapturePlan plan)
    {
        bool anyDifferent = false;
        foreach (PropertyPlan property in plan.Properties)
        {
            if (property.IsKey)
            {
                continue;
            }

            bool same = property.Comparer.Equals(entry.OriginalValues[property.Property], entry.CurrentValues[property.Property]);
            if (same && property.OnEntity && entry.Property(property.Property).IsModified)
            {
                return true;
            }

            anyDifferent |= !same;
        }

        return !anyDifferent;
    }

    private void Deleted(EntityEntry entry, EntityCapturePlan plan)
    {
        PropertyValues originals = entry.OriginalValues;
        EntityChangeBuilder change = Change(Id(plan, originals), plan.IsOwnedPart ? EntityChangeKind.Modified : EntityChangeKind.Deleted);
        foreach (PropertyPlan property in plan.Properties)
        {
            change.Set(property, ChangeValues.ToRecordValue(originals[property.Property]), null, plan.SubjectOf(originals));
        }
    }

    private void Link(EntityEntry entry, EntityCapturePlan plan, bool linked, bool useOriginals)
    {
        PropertyValues values = useOriginals ? entry.OriginalValues : entry.CurrentValues;
        foreach (JoinSide side in plan.JoinSides)
        {
            var end = new EntityRef(side.EntityType, Key(values, side.OwnKey));
            Change(end, EntityChangeKind.Modified).Link(side.Navigation, Key(values, side.RelatedKey), linked);
        }
    }

    /// <summary>The save's change of an entity: one per entity, an owned reference's and the links joining their owner's.</summary>
    private EntityChangeBuilder Change(EntityRef entity, EntityChangeKind kind)
    {
        if (_save!.TryGetValue(entity, out EntityChangeBuilder? change))
        {
            if (kind != EntityChangeKind.Modified && change.Kind == EntityChangeKind.Modified)
            {
                // The owner's own entry decides the kind; what its owned parts and links found so far joins it.
                var owner = new EntityChangeBuilder(entity, kind);
                owner.Absorb(change);
                _save[entity] = owner;
                return owner;
            }

            return change;
        }

        return _save[entity] = new EntityChangeBuilder(entity, kind);
    }

    private static EntityRef Id(EntityCapturePlan plan, PropertyValues values) => new(plan.EntityType, Key(values, plan.Keys));

    private static string Key(PropertyValues values, IReadOnlyList<IProperty> keys)
    {
        var parts = new object?[keys.Count];
        for (int i = 0; i < keys.Count; i++)
        {
            parts[i] = values[keys[i]];
        }

        return ChangeValues.Id(parts);
    }

    /// <summary>An entry a save is about to write; <see cref="Originals"/> for a modified entry.</summary>
    /// <remarks><see cref="Read"/>: a disconnected entry's originals, read from the database by property.</remarks>
    private sealed record Pending(EntityEntry Entry, EntityCapturePlan Plan, EntityState State, PropertyValues? Originals)
    {
        public Dictionary<IProperty, object?>? Read { get; init; }
    }
}
