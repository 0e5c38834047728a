using System.Text.Json;
using System.Text.Json.Serialization;
using AuditGen.Storage;

namespace AuditGen.AspNetCore;

/// <summary>Writes one metadata or change value as plain JSON (<see cref="ActivityMetadataJson.WritePlainValue"/>). Read-only.</summary>
internal sealed class ActivityValueJsonConverter : JsonConverter<object>
{
    public override object Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The activity read API does not read values.");

    public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options) =>
        ActivityMetadataJson.WritePlainValue(writer, value);
}
