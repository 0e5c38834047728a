namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// A row of the activity log as EF Core maps it (<see cref="Microsoft.EntityFrameworkCore.ActivityLogModelBuilderExtensions.MapActivityLog"/>), for LINQ
/// reads that join the log with the application's data. Read-only: records are appended through
/// <see cref="IActivityLogRepo"/>, and the database refuses updates and deletes.
/// </summary>
public sealed class ActivityLogEntry
{
    /// <summary>The record's position in the log.</summary>
    public long Sequence { get; private set; }

    /// <summary>The record's id.</summary>
    public Guid RecordId { get; private set; }

    /// <summary>Who did it.</summary>
    public Guid ActorId { get; private set; }

    /// <summary>Whose data it was.</summary>
    public Guid OwnerId { get; private set; }

    /// <summary>What was done, such as <c>create_task</c>.</summary>
    public string Action { get; private set; } = "";

    /// <summary>The entity's type, such as <c>Task</c>.</summary>
    public string EntityType { get; private set; } = "";

    /// <summary>The entity's id, as recorded.</summary>
    public string EntityId { get; private set; } = "";

    /// <summary>When it was done (UTC).</summary>
    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>The metadata in AuditGen's tagged JSON storage form.</summary>
    public string Metadata { get; private set; } = "";

    /// <summary>The W3C trace id of the operation that made the change, or <see langword="null"/>.</summary>
    public string? TraceId { get; private set; }

    /// <summary>The W3C span id of the operation that made the change, or <see langword="null"/>.</summary>
    public string? SpanId { get; private set; }

    /// <summary>What changed, field by field, in AuditGen's tagged JSON storage form (<c>AuditGen.Storage.ActivityChangesJson</c>); null when nothing was captured.</summary>
    public string? Changes { get; private set; }

    /// <summary>
    /// The record's Merkle leaf hash as computed when it was appended (32 bytes), or <see langword="null"/> for records
    /// appended before leaves were stored. Not proof of anything by itself: verification recomputes it from the row.
    /// </summary>
    public byte[]? Leaf { get; private set; }
}
