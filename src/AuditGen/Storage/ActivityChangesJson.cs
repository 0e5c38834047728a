using System.ComponentModel;
using System.Text;
using System.Text.Json;

namespace AuditGen.Storage;

/// <summary>
/// The storage form of <see cref="ActivityRecord.Changes"/>: one JSON array, values tagged exactly as metadata values are
/// (<see cref="ActivityMetadataJson"/>), so a record read back equals the one appended. For adapter implementations.
/// </summary>
/// <remarks>
/// <c>[{"type":"Task","id":"7","kind":"modified","properties":[{"name":"Title","old":["s","Draft"],"new":["s","Ship it"]},
/// {"name":"PasswordHash","withheld":true}]}]</c>: <c>kind</c> is <c>added</c>, <c>modified</c> or <c>deleted</c>;
/// <c>old</c>/<c>new</c> are omitted when null (and when withheld); <c>withheld</c> and <c>truncated</c> appear only when true. Adapters store
/// no value (SQL NULL) for a record without changes.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class ActivityChangesJson
{
    /// <summary>Writes changes as tagged JSON.</summary>
    /// <param name="changes">A record's changes.</param>
    /// <returns>The JSON text, or null when there are none.</returns>
    public static string? Serialize(IReadOnlyList<EntityChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return null;
        }

        using var buffer = new PooledByteBuffer();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, changes, tagged: true);
        }

        return Encoding.UTF8.GetString(buffer.Written);
    }

    /// <summary>Reads tagged JSON back into validated changes.</summary>
    /// <param name="json">Text written by <see cref="Serialize"/>, or null/empty for none.</param>
    /// <returns>The changes (empty for none).</returns>
    /// <exception cref="FormatException">The text is not tagged changes JSON, or breaks a rule of the record.</exception>
    public static IReadOnlyList<EntityChange> Deserialize(string? json)
    {
        if (string.IsNullOrEmpty(json) || json == "[]")
        {
            return [];
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            var changes = new List<EntityChange>();
            foreach (JsonElement change in document.RootElement.EnumerateArray())
            {
                var properties = new List<PropertyChange>();
                foreach (JsonElement property in change.GetProperty("properties").EnumerateArray())
                {
                    properties.Add(new PropertyChange(
                        property.GetProperty("name").GetString()!,
                        property.TryGetProperty("old", out JsonElement old) ? ActivityMetadataJson.ReadValue(old) : null,
                        property.TryGetProperty("new", out JsonElement @new) ? ActivityMetadataJson.ReadValue(@new) : null)
                    {
                        Withheld = property.TryGetProperty("withheld", out JsonElement withheld) && withheld.GetBoolean(),
                        Truncated = property.TryGetProperty("truncated", out JsonElement truncated) && truncated.GetBoolean(),
                    });
                }

                changes.Add(new EntityChange(
                    new EntityRef(change.GetProperty("type").GetString()!, change.GetProperty("id").GetString()!),
                    ParseKind(change.GetProperty("kind").GetString()),
                    properties));
            }

            return changes.ToArray();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or ArgumentException or FormatException)
        {
            throw new FormatException($"Stored changes are not valid tagged changes JSON: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Writes changes as plain JSON for people and front ends (an HTTP API's <c>changes</c>): <c>[{"entity":"Task#7",
    /// "kind":"modified","properties":[{"name":"Title","old":"Draft","new":"Ship it"},{"name":"PasswordHash","withheld":true}]}]</c>,
    /// values as in <see cref="ActivityMetadataJson.WritePlain"/>, <c>old</c>/<c>new</c> omitted when null.
    /// </summary>
    /// <param name="writer">Where to write the array.</param>
    /// <param name="changes">A record's changes.</param>
    public static void WritePlain(Utf8JsonWriter writer, IReadOnlyList<EntityChange> changes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(changes);
        Write(writer, changes, tagged: false);
    }

    /// <summary>The JSON name of a kind: <c>added</c>, <c>modified</c>, <c>deleted</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Its lowercase name.</returns>
    public static string KindName(EntityChangeKind kind) => kind switch
    {
        EntityChangeKind.Added => "added",
        EntityChangeKind.Modified => "modified",
        EntityChangeKind.Deleted => "deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a change kind."),
    };

    private static EntityChangeKind ParseKind(string? name) => name switch
    {
        "added" => EntityChangeKind.Added,
        "modified" => EntityChangeKind.Modified,
        "deleted" => EntityChangeKind.Deleted,
        _ => throw new InvalidOperationException($"unknown change kind '{name}'"),
    };

    private static void Write(Utf8JsonWriter writer, IReadOnlyList<EntityChange> changes, bool tagged)
    {
        writer.WriteStartArray();
        for (int i = 0; i < changes.Count; i++) // indexed: no enumerator allocated per entity
        {
            EntityChange change = changes[i];
            writer.WriteStartObject();
            if (tagged)
            {
                writer.WriteString("type", change.Entity.EntityType);
                writer.WriteString("id", change.Entity.EntityId);
            }
            else
            {
                writer.WriteString("entity", change.Entity.ToString());
            }

            writer.WriteString("kind", KindName(change.Kind));
            writer.WriteStartArray("properties");
            IReadOnlyList<PropertyChange> properties = change.Properties;
            for (int j = 0; j < properties.Count; j++)
            {
                PropertyChange property = properties[j];
                writer.WriteStartObject();
                writer.WriteString("name", property.Name);
                if (property.Withheld)
                {
                    writer.WriteBoolean("withheld", true);
                }
                else
                {
                    WriteValue(writer, "old", property.OldValue, tagged);
                    WriteValue(writer, "new", property.NewValue, tagged);
                }

                if (property.Truncated)
                {
                    writer.WriteBoolean("truncated", true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>A value; omitted when null (an absent <c>old</c> or <c>new</c> reads as null).</summary>
    private static void WriteValue(Utf8JsonWriter writer, string name, object? value, bool tagged)
    {
        if (value is null)
        {
            return;
        }

        writer.WritePropertyName(name);
        ActivityMetadataJson.WriteValue(writer, value, tagged);
    }
}
