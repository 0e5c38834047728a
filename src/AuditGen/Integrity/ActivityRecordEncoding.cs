using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AuditGen.Integrity;

/// <summary>
/// The canonical, versioned bytes of a stored record, the data of its Merkle leaf (docs/tamper-evidence.md): the same
/// record gives the same bytes in every adapter, on every machine and .NET version, because every field has one
/// written form — big-endian integers, length-prefixed UTF-8, GUIDs in RFC 9562 byte order, the time in UTC ticks, and
/// the metadata as canonical JSON (keys in ordinal order, every value as a tagged string).
/// </summary>
/// <remarks>
/// Two versions, chosen by the record's content so that every record stored before changes existed keeps its bytes
/// (and its leaf): <see cref="Version"/> 1 for a record without <see cref="ActivityRecord.Changes"/>, and
/// <see cref="VersionWithChanges"/> 2 — version 1's fields followed by the changes as canonical JSON
/// (<see cref="CanonicalChangesJson"/>) — for a record with changes. The version is the first byte, so removing a
/// record's changes changes its leaf too. A <see cref="SealedValue"/> (metadata or change value) is written as
/// <c>["x","subject:keyId:base64"]</c> — the ciphertext, never the clear value — in either version; a tag no earlier value
/// has, so every record without sealed values keeps its bytes. A <see cref="PersonalValue"/> has no canonical form.
/// </remarks>
public static class ActivityRecordEncoding
{
    /// <summary>The version of the encoding of a record without changes, its first byte.</summary>
    public const byte Version = 1;

    /// <summary>The version of the encoding of a record with changes: version 1's fields, then the changes.</summary>
    public const byte VersionWithChanges = 2;

    /// <summary>The canonical bytes of <paramref name="record"/> as stored (with its sequence).</summary>
    /// <param name="record">A stored record.</param>
    /// <returns>A new array.</returns>
    public static byte[] Encode(ActivityRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, record);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The Merkle leaf hash of <paramref name="record"/>: SHA-256(0x00 ‖ <see cref="Encode"/>).</summary>
    /// <param name="record">A stored record.</param>
    /// <returns>A new 32-byte array.</returns>
    public static byte[] LeafHash(ActivityRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write([(byte)0x00]);
        Write(buffer, record);
        return SHA256.HashData(buffer.WrittenSpan);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, ActivityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Sequence <= 0)
        {
            throw new ArgumentException("Only a stored record (Sequence > 0) has canonical bytes: the sequence is part of them.", nameof(record));
        }

        bool changes = record.Changes.Count > 0;
        buffer.Write([changes ? VersionWithChanges : Version]);
        WriteInt64(buffer, record.Sequence);
        WriteGuid(buffer, record.RecordId);
        WriteGuid(buffer, record.ActorId);
        WriteGuid(buffer, record.OwnerId);
        WriteString(buffer, record.Action);
        WriteString(buffer, record.EntityRef.EntityType);
        WriteString(buffer, record.EntityRef.EntityId);
        WriteInt64(buffer, record.OccurredAt.UtcTicks);
        WriteString(buffer, CanonicalJson(record.Metadata));
        WriteOptional(buffer, record.TraceId);
        WriteOptional(buffer, record.SpanId);
        if (changes)
        {
            WriteString(buffer, CanonicalChangesJson(record.Changes));
        }
    }

    /// <summary>
    /// The changes as canonical JSON: <c>[[type,id,kind,[[name,flags,old,new],…]],…]</c> — entities in the record's order,
    /// properties in ordinal order of their names (as the record keeps them), <c>kind</c> as <c>"added"</c>,
    /// <c>"modified"</c> or <c>"deleted"</c>, <c>flags</c> <c>""</c>, <c>"w"</c> (withheld), <c>"t"</c> (truncated) or
    /// <c>"wt"</c>, and each value in the tagged canonical form of metadata values (<see cref="CanonicalJson"/>).
    /// </summary>
    /// <param name="changes">A record's changes.</param>
    /// <returns>The JSON text.</returns>
    public static string CanonicalChangesJson(IReadOnlyList<EntityChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var json = new StringBuilder("[");
        for (int i = 0; i < changes.Count; i++)
        {
            EntityChange change = changes[i];
            json.Append(i == 0 ? "[" : ",[");
            AppendString(json, change.Entity.EntityType);
            json.Append(',');
            AppendString(json, change.Entity.EntityId);
            json.Append(',');
            AppendString(json, Storage.ActivityChangesJson.KindName(change.Kind));
            json.Append(",[");
            for (int j = 0; j < change.Properties.Count; j++)
            {
                PropertyChange property = change.Properties[j];
                json.Append(j == 0 ? "[" : ",[");
                AppendString(json, property.Name);
                json.Append(",\"").Append(property.Withheld ? "w" : "").Append(property.Truncated ? "t" : "").Append("\",");
                AppendValue(json, property.OldValue);
                json.Append(',');
                AppendValue(json, property.NewValue);
                json.Append(']');
            }

            json.Append("]]");
        }

        return json.Append(']').ToString();
    }

    /// <summary>
    /// The metadata as canonical JSON: <c>{"key":["tag","value"],…}</c>, keys in ordinal (UTF-16) order, tags as in
    /// <see cref="Storage.ActivityMetadataJson"/>, every scalar written as an invariant string (round-trip forms for floating
    /// numbers, exact decimals, "O" for dates), arrays as <c>["a",[…]]</c>, null as <c>null</c>; strings escape only
    /// <c>"</c>, <c>\</c> and control characters.
    /// </summary>
    /// <param name="metadata">A record's metadata.</param>
    /// <returns>The JSON text.</returns>
    public static string CanonicalJson(IReadOnlyDictionary<string, object?> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var json = new StringBuilder("{");
        string[] keys = [.. metadata.Keys];
        Array.Sort(keys, StringComparer.Ordinal);
        for (int i = 0; i < keys.Length; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            AppendString(json, keys[i]);
            json.Append(':');
            AppendValue(json, metadata[keys[i]]);
        }

        return json.Append('}').ToString();
    }

    private static void AppendValue(StringBuilder json, object? value)
    {
        if (value is null)
        {
            json.Append("null");
            return;
        }

        switch (value)
        {
            case PersonalValue personal:
                throw Storage.ActivityMetadataJson.Unsealed(personal);
            case ErasedValue:
                throw new ArgumentException("An erased value has no canonical form: the leaf binds the sealed value as stored.", nameof(value));
        }

        if (value is ImmutableArray<object?> items)
        {
            json.Append("[\"a\",[");
            for (int i = 0; i < items.Length; i++)
            {
                if (i > 0)
                {
                    json.Append(',');
                }

                AppendValue(json, items[i]);
            }

            json.Append("]]");
            return;
        }

        (string tag, string text) = value switch
        {
            string s => ("s", s),
            bool b => ("b", b ? "true" : "false"),
            sbyte n => ("i1", n.ToString(CultureInfo.InvariantCulture)),
            byte n => ("u1", n.ToString(CultureInfo.InvariantCulture)),
            short n => ("i2", n.ToString(CultureInfo.InvariantCulture)),
            ushort n => ("u2", n.ToString(CultureInfo.InvariantCulture)),
            int n => ("i4", n.ToString(CultureInfo.InvariantCulture)),
            uint n => ("u4", n.ToString(CultureInfo.InvariantCulture)),
            long n => ("i8", n.ToString(CultureInfo.InvariantCulture)),
            ulong n => ("u8", n.ToString(CultureInfo.InvariantCulture)),
            float n => ("f4", n.ToString("R", CultureInfo.InvariantCulture)),
            double n => ("f8", n.ToString("R", CultureInfo.InvariantCulture)),
            decimal n => ("m", n.ToString(CultureInfo.InvariantCulture)),
            Guid g => ("g", g.ToString("D")),
            DateTimeOffset o => ("o", o.ToString("O", CultureInfo.InvariantCulture)),
            DateOnly d => ("d", d.ToString("O", CultureInfo.InvariantCulture)),
            TimeOnly t => ("t", t.ToString("O", CultureInfo.InvariantCulture)),
            SealedValue sealedValue => ("x", sealedValue.ToText()),
            _ => throw new ArgumentException($"Metadata value of type '{value.GetType()}' has no canonical form; it did not come from ActivityRecord.Metadata.", nameof(value)),
        };
        json.Append("[\"").Append(tag).Append("\",");
        AppendString(json, text);
        json.Append(']');
    }

    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }

        json.Append('"');
    }

    private static void WriteInt64(ArrayBufferWriter<byte> buffer, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    private static void WriteGuid(ArrayBufferWriter<byte> buffer, Guid value)
    {
        value.TryWriteBytes(buffer.GetSpan(16), bigEndian: true, out _);
        buffer.Advance(16);
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(4), (uint)length);
        buffer.Advance(4);
        buffer.Advance(Encoding.UTF8.GetBytes(value, buffer.GetSpan(length)));
    }

    private static void WriteOptional(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            buffer.Write([(byte)0]);
            return;
        }

        buffer.Write([(byte)1]);
        WriteString(buffer, value);
    }
}
