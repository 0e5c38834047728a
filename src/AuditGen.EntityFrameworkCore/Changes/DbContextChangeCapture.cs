using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// The changes one context's <c>SaveChanges</c> calls make while a logged use case's unit of work is open on it,
/// registered on the context for that time: <see cref="ActivityChangeInterceptor"/> finds it (or nothing, and returns),
/// and the unit of work attaches what it holds to the use case's record.
/// </summary>
/// <remarks>
/// Before a save, it notes each added, modified and deleted entry with the values only the tracker has then: the
/// originals (read from the database, inside the transaction, where the tracker has none), and everything about deleted
/// entries and removed many-to-many links. After the save, it reads the final values, with the keys the database
/// generated, and merges the save into the use case's changes.
/// </remarks>
internal sealed partial class DbContextChangeCapture
{
    private static readonly ConditionalWeakTable<DbContext, DbContextChangeCapture> Registry = [];

    private readonly ChangeCapturePlans _plans;
    private readonly List<EntityChangeBuilder> _changes = [];
    private readonly Dictionary<EntityRef, EntityChangeBuilder> _byEntity = [];
    private List<Pending>? _pending;
    private Dictionary<EntityRef, EntityChangeBuilder>? _save;
    private object? _queryProvider;
    private int _omitted;

    private DbContextChangeCapture(ChangeCapturePlans plans) => _plans = plans;

    /// <summary>
    /// Starts capturing on <paramref name="context"/>; when a capture is already open there (a unit of work that joined
    /// another), returns that one and <paramref name="started"/> false: its owner ends it.
    /// </summary>
    public static DbContextChangeCapture Start(DbContext context, ChangeCapturePlans plans, out bool started)
    {
        if (Registry.TryGetValue(context, out DbContextChangeCapture? open))
        {
            started = false;
            return open;
        }

        var capture = new DbContextChangeCapture(plans);
        Registry.AddOrUpdate(context, capture);
        capture.RegisterQueries(context);
        started = true;
        return capture;
    }

    /// <summary>Ends the capture on <paramref name="context"/>: later saves (and bulk writes) are not captured.</summary>
    public static void Stop(DbContext context)
    {
        if (Registry.TryGetValue(context, out DbContextChangeCapture? capture))
        {
            capture.UnregisterQueries();
            Registry.Remove(context);
        }
    }

    /// <summary>The capture open on <paramref name="context"/>, if any.</summary>
    public static bool TryFind(DbContext context, out DbContextChangeCapture? capture) => Registry.TryGetValue(context, out capture);

    /// <summary>Adds the captured changes to <paramref name="record"/>'s and clears them.</summary>
    public ActivityRecord AttachTo(ActivityRecord record)
    {
        if (record.EntityRef.EntityId == CapturedEntityId.Placeholder)
        {
            record = record with { EntityRef = new EntityRef(record.EntityRef.EntityType, AddedEntityId(record)) };
        }

        if (_changes.Count == 0 && _omitted == 0)
        {
            return record;
        }

        var changes = new List<EntityChange>(record.Changes.Count + _changes.Count);
        changes.AddRange(record.Changes); // set by hand: kept, and they win over a capture of the same entity
        var byHand = new HashSet<EntityRef>(record.Changes.Select(static c => c.Entity));
        foreach (EntityChangeBuilder builder in _changes)
        {
            if (!byHand.Contains(builder.Entity) && builder.Build(_plans.Options.MaxValueLength, record.OwnerId) is { } change)
            {
                changes.Add(change);
            }
        }

        _changes.Clear();
        _byEntity.Clear();
        int omitted = _omitted;
        _omitted = 0;
        int max = Math.Max(_plans.Options.MaxEntitiesPerRecord, record.Changes.Count);
        if (changes.Count > max)
        {
            omitted += changes.Count - max;
            changes.RemoveRange(max, changes.Count - max);
        }

        if (changes.Count == record.Changes.Count && omitted == 0)
        {
            return record;
        }

        NameTheRecordsOwnEntity(record, changes, byHand.Count);
        return omitted == 0 ? record with { Changes = changes } : record with { Changes = changes, Metadata = Truncated(record, changes.Count + omitted) };
    }

    /// <summary>
    /// The record's metadata with the marks of a capped record: <see cref="ChangeCaptureOptions.TruncatedKey"/> and the
    /// number of entities the use case changed in all (<see cref="ChangeCaptureOptions.TotalKey"/>), listed or not.
    /// </summary>
    private static Dictionary<string, object?> Truncated(ActivityRecord record, int total) =>
        new(record.Metadata, StringComparer.Ordinal)
        {
            [ChangeCaptureOptions.TruncatedKey] = true,
            [ChangeCaptureOptions.TotalKey] = total,
        };

    /// <summary>
    /// The id of the entity the use case added for a record that names none (<see cref="CapturedEntityId"/>): the one added
    /// entity of the record's type, else the only added entity.
    /// </summary>
    private string AddedEntityId(ActivityRecord record)
    {
        var added = _changes.Where(static c => c.Kind == EntityChangeKind.Added).ToList();
        List<EntityChangeBuilder> named = added.Where(c => c.Entity.EntityType == record.EntityRef.EntityType).ToList();
        List<EntityChangeBuilder> candidates = named.Count > 0 ? named : added;
        if (candidates.Count != 1)
        {
            throw new InvalidOperationException(
                $"'{record.Action}' names no entity id, so its record takes the key the database generates for the {record.EntityRef.EntityType} " +
                $"it adds, but the use case added {(candidates.Count == 0 ? "no entity" : $"{candidates.Count} entities of type {candidates[0].Entity.EntityType}")}: " +
                "return the id, or mark its source with [EntityId].");
        }

        return candidates[0].Entity.EntityId;
    }

    /// <summary>
    /// The record's own entity under the record's name: a use case logs <c>Task#7</c> while the model's type is
    /// <c>TaskItem</c>, so the one captured entity with the record's id (and no entity of the record's type among the
    /// changes) is that entity, named as the record names it — so its history and state are found by the record's entity.
    /// </summary>
    private static void NameTheRecordsOwnEntity(ActivityRecord record, List<EntityChange> changes, int byHand)
    {
        EntityRef own = record.EntityRef;
        int match = -1;
        for (int i = 0; i < changes.Count; i++)
        {
            EntityRef entity = changes[i].Entity;
            if (entity == own)
            {
                return; // already named so
            }

            if (i >= byHand && string.Equals(entity.EntityId, own.EntityId, StringComparison.Ordinal))
            {
                if (match >= 0)
                {
                    return; // two entities with that id: which one the record means is not known
                }

                match = i;
            }
        }

        if (match >= 0)
        {
            changes[match] = changes[match] with { Entity = own };
        }
    }

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

    /// <summary>Merges one write's changes (a save's, or a bulk write's) into the use case's changes.</summary>
    private void Merge(IEnumerable<EntityChangeBuilder> write)
    {
        foreach (EntityChangeBuilder change in write)
        {
            if (_byEntity.TryGetValue(change.Entity, out EntityChangeBuilder? earlier))
            {
                earlier.Merge(change);
            }
            else
            {
                _byEntity[change.Entity] = change;
                _changes.Add(change);
            }
        }

        _changes.RemoveAll(static c => c.Vanished);
        foreach (EntityRef vanished in _byEntity.Where(static e => e.Value.Vanished).Select(static e => e.Key).ToList())
        {
            _byEntity.Remove(vanished);
        }
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
