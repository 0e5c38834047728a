using System.Buffers;
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

        byte[] utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            return Deserialize(utf8.AsSpan(0, Encoding.UTF8.GetBytes(json, utf8)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>Reads tagged JSON back into validated changes, from its UTF-8 bytes (as a store may hold them), in one pass.</summary>
    /// <param name="json">The UTF-8 of text written by <see cref="Serialize"/>; empty for none.</param>
    /// <returns>The changes (empty for none).</returns>
    /// <exception cref="FormatException">The bytes are not tagged changes JSON, or break a rule of the record.</exception>
    /// <remarks>Members are read in any order (a store may reorder them) and unknown members are skipped.</remarks>
    public static IReadOnlyList<EntityChange> Deserialize(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty || json.SequenceEqual("[]"u8))
        {
            return [];
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray, "Stored changes are a JSON array.");
            var changes = new List<EntityChange>();
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                changes.Add(ReadChange(ref reader));
            }

            Expect(reader.TokenType == JsonTokenType.EndArray && !reader.Read(), "Stored changes are one JSON array of entity changes.");
            return changes.ToArray();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new FormatException($"Stored changes are not valid tagged changes JSON: {ex.Message}", ex);
        }
    }

    /// <summary>One entity change; the reader stands on its object's start and is left on its end.</summary>
    private static EntityChange ReadChange(ref Utf8JsonReader reader)
    {
        string? type = null, id = null, kind = null;
        List<PropertyChange>? properties = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                type = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                id = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                kind = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("properties"u8))
            {
                Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray, "An entity change's properties are a JSON array.");
                properties = [];
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    properties.Add(ReadProperty(ref reader));
                }

                Expect(reader.TokenType == JsonTokenType.EndArray, "An entity change's properties are a JSON array of objects.");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        Expect(reader.TokenType == JsonTokenType.EndObject, "An entity change is a JSON object.");
        return new EntityChange(
            new EntityRef(type ?? throw Missing("type"), id ?? throw Missing("id")),
            ParseKind(kind ?? throw Missing("kind")),
            properties ?? throw Missing("properties"));
    }

    /// <summary>One property change; the reader stands on its object's start and is left on its end.</summary>
    private static PropertyChange ReadProperty(ref Utf8JsonReader reader)
    {
        string? name = null;
        object? oldValue = null, newValue = null;
        bool withheld = false, truncated = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                name = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("old"u8))
            {
                reader.Read();
                oldValue = ActivityMetadataJson.ReadValue(ref reader);
            }
            else if (reader.ValueTextEquals("new"u8))
            {
                reader.Read();
                newValue = ActivityMetadataJson.ReadValue(ref reader);
            }
            else if (reader.ValueTextEquals("withheld"u8))
            {
                reader.Read();
                withheld = reader.GetBoolean();
            }
            else if (reader.ValueTextEquals("truncated"u8))
            {
                reader.Read();
                truncated = reader.GetBoolean();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        Expect(reader.TokenType == JsonTokenType.EndObject, "A property change is a JSON object.");
        return new PropertyChange(name ?? throw Missing("name"), oldValue, newValue) { Withheld = withheld, Truncated = truncated };
    }

    /// <summary>The string value of the member the reader stands on.</summary>
    private static string? NextString(ref Utf8JsonReader reader) => reader.Read() ? reader.GetString() : null;

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new FormatException(message);
        }
    }

    private static FormatException Missing(string member) => new($"a change has no '{member}'");

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

    private static EntityChangeKind ParseKind(string name) => name switch
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
