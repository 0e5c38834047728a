using System.Text.Json;
using System.Text.Json.Serialization;
using AuditGen.Storage;

namespace AuditGen.AspNetCore;

/// <summary>Writes record metadata as plain JSON (<see cref="ActivityMetadataJson.WritePlain"/>). Read-only: the API never accepts metadata.</summary>
internal sealed class ActivityDetailsJsonConverter : JsonConverter<IReadOnlyDictionary<string, object?>>
{
    public override IReadOnlyDictionary<string, object?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The activity read API does not read details.");

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> value, JsonSerializerOptions options) =>
        ActivityMetadataJson.WritePlain(writer, value);
}
