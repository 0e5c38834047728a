using System.ComponentModel;
using System.Text.Json.Serialization;

namespace AuditGen.AspNetCore;

/// <summary>One record as the read API answers it: the seed's feed shape.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Action">What was done, such as <c>create_task</c>.</param>
/// <param name="Entity">To which entity: <c>Type#id</c>.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Owner">Whose data it was.</param>
/// <param name="When">When, ISO-8601 in UTC.</param>
/// <param name="Details">The record's metadata.</param>
/// <param name="TraceId">The W3C trace id of the request that made the change, or null.</param>
/// <param name="SpanId">The W3C span id of the operation that made the change, or null.</param>
public sealed record ActivityItemResponse(
    [property: Description("The record's id.")] Guid Id,
    [property: Description("What was done, such as create_task.")] string Action,
    [property: Description("To which entity, as Type#id, such as Task#0190f2a4-8b1c-7d3e-9f00-3c4d5e6f7a8b.")] string Entity,
    [property: Description("Who did it.")] Guid Actor,
    [property: Description("Whose data it was.")] Guid Owner,
    [property: Description("When it happened: ISO-8601, UTC.")] DateTime When,
    [property: Description("What the use case chose to record: strings, numbers, booleans, nulls and arrays of them. A personal value reads in clear while its subject's key exists and as {\"erased\": true} once the subject was erased.")]
    [property: JsonConverter(typeof(ActivityDetailsJsonConverter))]
    IReadOnlyDictionary<string, object?> Details,
    [property: Description("The W3C trace id (32 lowercase hex) of the request that made the change, to find it in traces; null when there was no trace.")]
    string? TraceId,
    [property: Description("The W3C span id (16 lowercase hex) of the operation that made the change; null when there was no trace.")]
    string? SpanId)
{
    /// <summary>The actor's display name, from the <see cref="IActorDirectory"/> when one is registered; otherwise absent.</summary>
    [Description("The actor's display name, when the application registers an actor directory; absent otherwise.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ActorName { get; init; }

    /// <summary>The owner's display name, from the <see cref="IActorDirectory"/> when one is registered; otherwise absent.</summary>
    [Description("The owner's display name, when the application registers an actor directory; absent otherwise.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OwnerName { get; init; }

    /// <summary>What changed, entity by entity and field by field; empty when the record holds no changes.</summary>
    [Description("What changed, entity by entity and field by field, with old and new values; empty when nothing was captured.")]
    public IReadOnlyList<ActivityChangeResponse> Changes { get; init; } = [];

    /// <summary>Shapes a record for the API.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The response item.</returns>
    public static ActivityItemResponse From(ActivityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(
            record.RecordId,
            record.Action,
            record.EntityRef.ToString(),
            record.ActorId,
            record.OwnerId,
            record.OccurredAt.UtcDateTime,
            record.Metadata,
            record.TraceId,
            record.SpanId)
        {
            Changes = record.Changes.Count == 0 ? [] : [.. record.Changes.Select(ActivityChangeResponse.From)],
        };
    }
}
