using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using AuditGen.Storage;

namespace AuditGen.AspNetCore;

/// <summary>One record as the read API answers it: the seed's feed shape.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Action">What was done, such as <c>create_task</c>.</param>
/// <param name="Entity">To which entity: <c>Type#id</c>.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Owner">Whose data it was.</param>
/// <param name="When">When, ISO-8601 in UTC.</param>
/// <param name="Details">The record's metadata.</param>
public sealed record ActivityItemResponse(
    [property: Description("The record's id.")] Guid Id,
    [property: Description("What was done, such as create_task.")] string Action,
    [property: Description("To which entity, as Type#id, such as Task#0190f2a4-8b1c-7d3e-9f00-3c4d5e6f7a8b.")] string Entity,
    [property: Description("Who did it.")] Guid Actor,
    [property: Description("Whose data it was.")] Guid Owner,
    [property: Description("When it happened: ISO-8601, UTC.")] DateTime When,
    [property: Description("What the use case chose to record: strings, numbers, booleans, nulls and arrays of them.")]
    [property: JsonConverter(typeof(ActivityDetailsJsonConverter))]
    IReadOnlyDictionary<string, object?> Details)
{
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
            record.Metadata);
    }
}

/// <summary>One page of records.</summary>
/// <param name="Items">The records, in the requested order.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; <see langword="null"/> on the last page.</param>
public sealed record ActivityPageResponse(
    [property: Description("The records, in the requested order.")] IReadOnlyList<ActivityItemResponse> Items,
    [property: Description("Pass as cursor to get the next page; null on the last page.")] string? NextCursor);

/// <summary>One logged action of the application.</summary>
/// <param name="Action">The action, such as <c>create_task</c>.</param>
/// <param name="EntityType">The type of entity it records, such as <c>Task</c>.</param>
public sealed record ActivityActionResponse(
    [property: Description("The action, such as create_task.")] string Action,
    [property: Description("The type of entity it records, such as Task.")] string EntityType);

/// <summary>The application's action catalog.</summary>
/// <param name="Items">Every logged action, ordered by name.</param>
public sealed record ActivityActionCatalogResponse(
    [property: Description("Every logged action, ordered by name.")] IReadOnlyList<ActivityActionResponse> Items);

/// <summary>The read API's JSON contract: camelCase, source-generated (trimming and AOT safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ActivityPageResponse))]
[JsonSerializable(typeof(ActivityActionCatalogResponse))]
public sealed partial class ActivityLogApiJsonContext : JsonSerializerContext;

/// <summary>Writes record metadata as plain JSON (<see cref="ActivityMetadataJson.WritePlain"/>). Read-only: the API never accepts metadata.</summary>
internal sealed class ActivityDetailsJsonConverter : JsonConverter<IReadOnlyDictionary<string, object?>>
{
    public override IReadOnlyDictionary<string, object?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The activity read API does not read details.");

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> value, JsonSerializerOptions options) =>
        ActivityMetadataJson.WritePlain(writer, value);
}
