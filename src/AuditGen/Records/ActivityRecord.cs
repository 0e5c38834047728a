using System.Collections.Immutable;
using System.ComponentModel;

namespace AuditGen;

/// <summary>
/// One entry of the append-only activity log: who (<see cref="ActorId"/>) did what (<see cref="Action"/>)
/// to which entity (<see cref="EntityRef"/>) on whose data (<see cref="OwnerId"/>), and when.
/// </summary>
/// <remarks>
/// <para>
/// Immutable: every property is get/init only, so hooks patch a record with a <c>with</c> expression.
/// Each init accessor checks its field (a <c>with</c> copy is checked too) and throws an
/// <see cref="ArgumentException"/> naming the field and the rule; <see cref="Validate"/> additionally checks
/// that nothing required is missing, and every adapter calls it on append.
/// </para>
/// <para>
/// <see cref="Metadata"/> is deep-copied on init into an immutable dictionary of JSON-safe values; mutating
/// the dictionary (or array) you passed in changes nothing stored. Equality compares metadata by content.
/// </para>
/// </remarks>
public sealed record ActivityRecord
{
    private readonly Guid _recordId;
    private readonly Guid _actorId;
    private readonly Guid _ownerId;
    private readonly string _action;
    private readonly EntityRef _entityRef;
    private readonly DateTimeOffset _occurredAt;
    private readonly MetadataDictionary _metadata;
    private readonly string? _traceId;
    private readonly string? _spanId;
    private static readonly IReadOnlyList<EntityChange> NoChanges = ImmutableArray<EntityChange>.Empty;

    // Boxed once (a boxed ImmutableArray): the getter hands out this instance instead of boxing on every read.
    private readonly IReadOnlyList<EntityChange> _changes = NoChanges;

    /// <summary>Creates an empty record for an object initializer; prefer <see cref="Create"/>.</summary>
    public ActivityRecord()
    {
        _action = null!;
        _metadata = MetadataDictionary.Empty;
    }

    private ActivityRecord(Guid recordId, Guid actorId, Guid ownerId, string action, EntityRef entityRef,
        DateTimeOffset occurredAt, MetadataDictionary metadata)
    {
        _recordId = recordId;
        _actorId = actorId;
        _ownerId = ownerId;
        _action = action;
        _entityRef = entityRef;
        _occurredAt = occurredAt;
        _metadata = metadata;
    }

    /// <summary>The record's identity, a version 7 (time-ordered) <see cref="Guid"/> set by <see cref="Create"/>. Never <see cref="Guid.Empty"/>.</summary>
    public Guid RecordId
    {
        get => _recordId;
        init => _recordId = ActivityValidation.RequiredId(value, nameof(RecordId), nameof(RecordId));
    }

    /// <summary>Who performed the action. Never <see cref="Guid.Empty"/>.</summary>
    public Guid ActorId
    {
        get => _actorId;
        init => _actorId = ActivityValidation.RequiredId(value, nameof(ActorId), nameof(ActorId));
    }

    /// <summary>Whose data the action touched; the key of activity feeds. Never <see cref="Guid.Empty"/>.</summary>
    public Guid OwnerId
    {
        get => _ownerId;
        init => _ownerId = ActivityValidation.RequiredId(value, nameof(OwnerId), nameof(OwnerId));
    }

    /// <summary>What was done, such as <c>"create_task"</c>: 1-100 characters of <c>[a-z0-9_.:-]</c>.</summary>
    public string Action
    {
        get => _action;
        init => _action = ActivityValidation.Action(value, nameof(Action));
    }

    /// <summary>The entity the action was performed on.</summary>
    public EntityRef EntityRef
    {
        get => _entityRef;
        init => _entityRef = ActivityValidation.EntityRef(value, nameof(EntityRef));
    }

    /// <summary>
    /// When the action happened, in UTC (a value with another offset is converted). <c>default</c> until stamped:
    /// the log stamps it from its <see cref="TimeProvider"/> on append unless it was given.
    /// </summary>
    public DateTimeOffset OccurredAt
    {
        get => _occurredAt;
        init => _occurredAt = value == default ? default : value.ToUniversalTime();
    }

    /// <summary>
    /// Extra details, such as <c>{ "title": "Write docs" }</c>: an immutable deep copy with keys of 1-100 characters and
    /// JSON-safe values only (null, string, bool, numbers, decimal, Guid, DateTimeOffset, DateOnly, TimeOnly,
    /// enums stored by name, and one-dimensional arrays of those, read back as <c>ImmutableArray&lt;object?&gt;</c>).
    /// Anything else is rejected, never stringified.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Metadata
    {
        get => _metadata;
        init => _metadata = MetadataDictionary.From(value, nameof(Metadata));
    }

    /// <summary>
    /// The W3C trace id of the operation that made the change (32 lowercase hex digits), so a record leads to the request
    /// that made it; <see langword="null"/> when there was no ambient trace. Stamped on append from
    /// <see cref="System.Diagnostics.Activity.Current"/> when not set.
    /// </summary>
    public string? TraceId
    {
        get => _traceId;
        init => _traceId = ActivityValidation.TraceContextId(value, 32, nameof(TraceId), nameof(TraceId));
    }

    /// <summary>The W3C span id (16 lowercase hex digits) of the operation that made the change, or <see langword="null"/>.</summary>
    public string? SpanId
    {
        get => _spanId;
        init => _spanId = ActivityValidation.TraceContextId(value, 16, nameof(SpanId), nameof(SpanId));
    }

    /// <summary>
    /// What changed, entity by entity and field by field, with old and new values (JSON-safe, as metadata); empty when
    /// nothing was captured. An immutable copy: each entity once, its properties in ordinal order of their names. Filled
    /// by the EF Core change capture for logged use cases, or by hand for appends that know what they changed.
    /// </summary>
    public IReadOnlyList<EntityChange> Changes
    {
        get => _changes;
        init => _changes = ActivityValidation.Boxed(value, ActivityValidation.EntityChanges(value, nameof(Changes)));
    }

    /// <summary>The record's position in the log: 0 until appended, then set by the adapter, strictly increasing.</summary>
    public long Sequence { get; private init; }

    /// <summary>Creates a record with a new version 7 <see cref="RecordId"/>, validating every field.</summary>
    /// <param name="actorId">Who performed the action; not <see cref="Guid.Empty"/>.</param>
    /// <param name="ownerId">Whose data the action touched; not <see cref="Guid.Empty"/>.</param>
    /// <param name="action">What was done: 1-100 characters of <c>[a-z0-9_.:-]</c>, such as <c>"create_task"</c>.</param>
    /// <param name="entityRef">The entity the action was performed on.</param>
    /// <param name="metadata">Optional details, deep-copied; see <see cref="Metadata"/> for the allowed values.</param>
    /// <param name="occurredAt">When it happened; omit to let the log stamp it on append.</param>
    /// <returns>The new record, with <see cref="Sequence"/> 0.</returns>
    /// <exception cref="ArgumentException">A field breaks its rule; the message names the field and the rule.</exception>
    public static ActivityRecord Create(Guid actorId, Guid ownerId, string action, EntityRef entityRef,
        IReadOnlyDictionary<string, object?>? metadata = null, DateTimeOffset? occurredAt = null)
    {
        ActivityValidation.RequiredId(actorId, nameof(actorId), "ActorId");
        ActivityValidation.RequiredId(ownerId, nameof(ownerId), "OwnerId");
        ActivityValidation.Action(action, nameof(action));
        ActivityValidation.EntityRef(entityRef, nameof(entityRef));
        MetadataDictionary copy = MetadataDictionary.From(metadata, nameof(metadata));
        DateTimeOffset when = occurredAt is { } given && given != default ? given.ToUniversalTime() : default;

        return new ActivityRecord(GuidV7.Create(when == default ? DateTimeOffset.UtcNow : when),
            actorId, ownerId, action, entityRef, when, copy);
    }

    /// <summary>
    /// Checks that the record is complete and valid to append: every required field set and within its rule.
    /// Adapters call this on append.
    /// </summary>
    /// <exception cref="ArgumentException">A required field is missing; the message names it.</exception>
    public void Validate()
    {
        const string param = "record";
        if (_recordId == Guid.Empty)
        {
            throw new ArgumentException("record.RecordId is missing; create records with ActivityRecord.Create.", param);
        }

        ActivityValidation.RequiredId(_actorId, param, "record.ActorId");
        ActivityValidation.RequiredId(_ownerId, param, "record.OwnerId");
        ActivityValidation.Action(_action, param, "record.Action");
        ActivityValidation.EntityRef(_entityRef, param, "record.EntityRef");
    }

    /// <summary>
    /// Returns the record as stored at <paramref name="sequence"/>. For adapter implementations, which assign the
    /// sequence on append and when reading records back; application code never needs it.
    /// </summary>
    /// <param name="sequence">The record's position in the log, at least 1.</param>
    /// <returns>A copy with <see cref="Sequence"/> set.</returns>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public ActivityRecord WithSequence(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return this with { Sequence = sequence };
    }

    /// <summary>The stored form: sequenced, and stamped with <paramref name="now"/> when no time was given.</summary>
    internal ActivityRecord ToStored(long sequence, DateTimeOffset now) =>
        _occurredAt == default
            ? this with { Sequence = sequence, OccurredAt = now }
            : this with { Sequence = sequence };

    /// <inheritdoc/>
    public bool Equals(ActivityRecord? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         _recordId == other._recordId &&
         Sequence == other.Sequence &&
         _actorId == other._actorId &&
         _ownerId == other._ownerId &&
         string.Equals(_action, other._action, StringComparison.Ordinal) &&
         _entityRef == other._entityRef &&
         _occurredAt == other._occurredAt &&
         _metadata.Equals(other._metadata) &&
         string.Equals(_traceId, other._traceId, StringComparison.Ordinal) &&
         string.Equals(_spanId, other._spanId, StringComparison.Ordinal) &&
         ((ImmutableArray<EntityChange>)_changes).AsSpan().SequenceEqual(((ImmutableArray<EntityChange>)other._changes).AsSpan()));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_recordId, Sequence, _actorId, _ownerId, _action, _entityRef, _occurredAt, _metadata);
}
