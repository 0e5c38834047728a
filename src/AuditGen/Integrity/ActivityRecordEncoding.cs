using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AuditGen.Storage;

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
        using var buffer = new PooledByteBuffer();
        Write(buffer, record);
        return buffer.Written.ToArray();
    }

    /// <summary>The Merkle leaf hash of <paramref name="record"/>: SHA-256(0x00 ‖ <see cref="Encode"/>).</summary>
    /// <param name="record">A stored record.</param>
    /// <returns>A new 32-byte array.</returns>
    public static byte[] LeafHash(ActivityRecord record)
    {
        using var buffer = new PooledByteBuffer();
        buffer.Write(0x00);
        Write(buffer, record);
        return SHA256.HashData(buffer.Written);
    }

    private static void Write(PooledByteBuffer buffer, ActivityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Sequence <= 0)
        {
            throw new ArgumentException("Only a stored record (Sequence > 0) has canonical bytes: the sequence is part of them.", nameof(record));
        }

        bool changes = record.Changes.Count > 0;
        buffer.Write(changes ? VersionWithChanges : Version);
        WriteInt64(buffer, record.Sequence);
        WriteGuid(buffer, record.RecordId);
        WriteGuid(buffer, record.ActorId);
        WriteGuid(buffer, record.OwnerId);
        WriteString(buffer, record.Action);
        WriteString(buffer, record.EntityRef.EntityType);
        WriteString(buffer, record.EntityRef.EntityId);
        WriteInt64(buffer, record.OccurredAt.UtcTicks);
        int metadata = BeginLengthPrefixed(buffer);
        WriteCanonicalJson(buffer, record.Metadata);
        EndLengthPrefixed(buffer, metadata);
        WriteOptional(buffer, record.TraceId);
        WriteOptional(buffer, record.SpanId);
        if (changes)
        {
            int start = BeginLengthPrefixed(buffer);
            WriteCanonicalChangesJson(buffer, record.Changes);
            EndLengthPrefixed(buffer, start);
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
        using var buffer = new PooledByteBuffer();
        WriteCanonicalChangesJson(buffer, changes);
        return Encoding.UTF8.GetString(buffer.Written);
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
        using var buffer = new PooledByteBuffer();
        WriteCanonicalJson(buffer, metadata);
        return Encoding.UTF8.GetString(buffer.Written);
    }

    private static void WriteCanonicalChangesJson(PooledByteBuffer json, IReadOnlyList<EntityChange> changes)
    {
        json.Write((byte)'[');
        for (int i = 0; i < changes.Count; i++)
        {
            EntityChange change = changes[i];
            json.Write(i == 0 ? "["u8 : ",["u8);
            WriteJsonString(json, change.Entity.EntityType);
            json.Write((byte)',');
            WriteJsonString(json, change.Entity.EntityId);
            json.Write((byte)',');
            WriteJsonString(json, Storage.ActivityChangesJson.KindName(change.Kind));
            json.Write(",["u8);
            for (int j = 0; j < change.Properties.Count; j++)
            {
                PropertyChange property = change.Properties[j];
                json.Write(j == 0 ? "["u8 : ",["u8);
                WriteJsonString(json, property.Name);
                json.Write((property.Withheld, property.Truncated) switch
                {
                    (false, false) => ",\"\","u8,
                    (true, false) => ",\"w\","u8,
                    (false, true) => ",\"t\","u8,
                    (true, true) => ",\"wt\","u8,
                });
                WriteValue(json, property.OldValue);
                json.Write((byte)',');
                WriteValue(json, property.NewValue);
                json.Write((byte)']');
            }

            json.Write("]]"u8);
        }

        json.Write((byte)']');
    }

    private static void WriteCanonicalJson(PooledByteBuffer json, IReadOnlyDictionary<string, object?> metadata)
    {
        json.Write((byte)'{');
        if (metadata is MetadataDictionary record)
        {
            // A record's own metadata: its entries are already in ordinal key order.
            ReadOnlySpan<KeyValuePair<string, object?>> entries = record.Entries;
            for (int i = 0; i < entries.Length; i++)
            {
                WriteMember(json, i, entries[i].Key, entries[i].Value);
            }
        }
        else
        {
            string[] keys = [.. metadata.Keys];
            Array.Sort(keys, StringComparer.Ordinal);
            for (int i = 0; i < keys.Length; i++)
            {
                WriteMember(json, i, keys[i], metadata[keys[i]]);
            }
        }

        json.Write((byte)'}');
    }

    private static void WriteMember(PooledByteBuffer json, int index, string key, object? value)
    {
        if (index > 0)
        {
            json.Write((byte)',');
        }

        WriteJsonString(json, key);
        json.Write((byte)':');
        WriteValue(json, value);
    }

    private static void WriteValue(PooledByteBuffer json, object? value)
    {
        switch (value)
        {
            case null:
                json.Write("null"u8);
                return;
            case PersonalValue personal:
                throw Storage.ActivityMetadataJson.Unsealed(personal);
            case ErasedValue:
                throw new ArgumentException("An erased value has no canonical form: the leaf binds the sealed value as stored.", nameof(value));
            case ImmutableArray<object?> items:
                json.Write("[\"a\",["u8);
                for (int i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        json.Write((byte)',');
                    }

                    WriteValue(json, items[i]);
                }

                json.Write("]]"u8);
                return;
            case string s:
                WriteTagged(json, "s"u8, s);
                return;
            case bool b:
                WriteTagged(json, "b"u8, b ? "true" : "false");
                return;
            case SealedValue sealedValue:
                WriteTagged(json, "x"u8, sealedValue.ToText());
                return;
        }

        // Every other scalar as its invariant text: formatted into a stack buffer, the same characters ToString gives.
        Span<char> text = stackalloc char[64];
        int written;
        ReadOnlySpan<byte> tag = value switch
        {
            sbyte n when n.TryFormat(text, out written, default, CultureInfo.InvariantCulture) => "i1"u8,
            byte n when n.TryFormat(text, out written, default, CultureInfo.InvariantCulture) => "u1"u8,
            short n when n.TryFormat(text, out written, default, CultureInfo.InvariantCulture) => "i2"u8,
            ushort n when n.TryFormat(text, out written, default, CultureInfo.InvariantCulture) => "u2"u8,
            int n when n.TryFormat(text, out written, default, CultureInfo.InvariantCulture) => "i4"u8,
            uint n when n.TryFormat(text, out written, default, CultureInfo.InvariantCulture) => "u4"u8,
            long n when n.TryFormat(text, out written, default, CultureInfo.InvariantCulture) => "i8"u8,
            ulong n when n.TryFormat(text, out written, default, CultureInfo.InvariantCulture) => "u8"u8,
            float n when n.TryFormat(text, out written, "R", CultureInfo.InvariantCulture) => "f4"u8,
            double n when n.TryFormat(text, out written, "R", CultureInfo.InvariantCulture) => "f8"u8,
            decimal n when n.TryFormat(text, out written, default, CultureInfo.InvariantCulture) => "m"u8,
            Guid g when g.TryFormat(text, out written, "D") => "g"u8,
            DateTimeOffset o when o.TryFormat(text, out written, "O", CultureInfo.InvariantCulture) => "o"u8,
            DateOnly d when d.TryFormat(text, out written, "O", CultureInfo.InvariantCulture) => "d"u8,
            TimeOnly t when t.TryFormat(text, out written, "O", CultureInfo.InvariantCulture) => "t"u8,
            _ => throw new ArgumentException($"Metadata value of type '{value.GetType()}' has no canonical form; it did not come from ActivityRecord.Metadata.", nameof(value)),
        };
        WriteTagged(json, tag, text[..written]);
    }

    /// <summary>A scalar: <c>["tag","text"]</c>.</summary>
    private static void WriteTagged(PooledByteBuffer json, ReadOnlySpan<byte> tag, ReadOnlySpan<char> text)
    {
        json.Write("[\""u8);
        json.Write(tag);
        json.Write("\","u8);
        WriteJsonString(json, text);
        json.Write((byte)']');
    }

    /// <summary>The characters a canonical JSON string escapes: <c>"</c>, <c>\</c> and the controls U+0000–U+001F.</summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000B\f\r\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    /// <summary>
    /// A JSON string in UTF-8: runs without an escaped character are transcoded whole (they start and end at an ASCII
    /// character or an end of the string, so a surrogate pair is never split and the bytes are those of the whole string).
    /// </summary>
    private static void WriteJsonString(PooledByteBuffer json, ReadOnlySpan<char> value)
    {
        json.Write((byte)'"');
        while (!value.IsEmpty)
        {
            int next = value.IndexOfAny(Escaped);
            ReadOnlySpan<char> run = next < 0 ? value : value[..next];
            if (!run.IsEmpty)
            {
                int most = run.Length <= 256 ? Encoding.UTF8.GetMaxByteCount(run.Length) : Encoding.UTF8.GetByteCount(run);
                json.Advance(Encoding.UTF8.GetBytes(run, json.GetSpan(most)));
            }

            if (next < 0)
            {
                break;
            }

            ReadOnlySpan<byte> escape = value[next] switch
            {
                '"' => "\\\""u8,
                '\\' => "\\\\"u8,
                '\b' => "\\b"u8,
                '\f' => "\\f"u8,
                '\n' => "\\n"u8,
                '\r' => "\\r"u8,
                '\t' => "\\t"u8,
                _ => default,
            };
            if (escape.IsEmpty)
            {
                Span<byte> code = json.GetSpan(6); // the other controls: \u00xx, lowercase hex
                "\\u00"u8.CopyTo(code);
                code[4] = (byte)HexLower[value[next] >> 4];
                code[5] = (byte)HexLower[value[next] & 0xF];
                json.Advance(6);
            }
            else
            {
                json.Write(escape);
            }

            value = value[(next + 1)..];
        }

        json.Write((byte)'"');
    }

    private const string HexLower = "0123456789abcdef";

    private static void WriteInt64(PooledByteBuffer buffer, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    private static void WriteGuid(PooledByteBuffer buffer, Guid value)
    {
        value.TryWriteBytes(buffer.GetSpan(16), bigEndian: true, out _);
        buffer.Advance(16);
    }

    private static void WriteString(PooledByteBuffer buffer, string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(4), (uint)length);
        buffer.Advance(4);
        buffer.Advance(Encoding.UTF8.GetBytes(value, buffer.GetSpan(length)));
    }

    /// <summary>Reserves a big-endian length prefix; <see cref="EndLengthPrefixed"/> fills it with what was written since.</summary>
    private static int BeginLengthPrefixed(PooledByteBuffer buffer)
    {
        int start = buffer.Count;
        buffer.GetSpan(4);
        buffer.Advance(4);
        return start;
    }

    private static void EndLengthPrefixed(PooledByteBuffer buffer, int start) =>
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Written[start..], (uint)(buffer.Count - start - 4));

    private static void WriteOptional(PooledByteBuffer buffer, string? value)
    {
        if (value is null)
        {
            buffer.Write(0);
            return;
        }

        buffer.Write(1);
        WriteString(buffer, value);
    }
}
