using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>Merges one write's changes (a save's, or a bulk write's) into the use case's changes.</summary>
    private void Merge(IReadOnlyCollection<EntityChangeBuilder> write)
    {
        _byEntity.EnsureCapacity(_byEntity.Count + write.Count); // a bulk write's thousand entities: one table, not ten resizes
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
}
