using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuditGen.Storage;

namespace AuditGen;

/// <summary>
/// The one home of sealing: AES-GCM over a value's tagged JSON, a fresh 12-byte nonce per value, and associated data that
/// binds the record, the subject, the key and the value's place in the record (so a sealed value copied to another record
/// or field does not open). Also walks a record's values, for sealing, opening and the stores' counts.
/// </summary>
internal static class ActivitySealing
{
    /// <summary>Bytes of a data key (AES-256).</summary>
    public const int KeySize = 32;

    private static readonly byte[] Domain = "auditgen-sealed-v1"u8.ToArray();

    /// <summary>Where a metadata value sits.</summary>
    public static string MetadataPlace(string key) => "m\0" + key;

    /// <summary>Where a change value sits.</summary>
    public static string ChangePlace(EntityRef entity, string property, bool newValue) =>
        $"c\0{entity.EntityType}\0{entity.EntityId}\0{property}\0{(newValue ? "new" : "old")}";

    public static SealedValue Seal(PersonalValue value, Guid keyId, ReadOnlySpan<byte> key, Guid recordId, string place)
    {
        var plain = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(plain))
        {
            ActivityMetadataJson.WriteValue(writer, value.Value);
        }

        byte[] output = new byte[SealedValue.NonceSize + plain.WrittenCount + SealedValue.TagSize];
        Span<byte> nonce = output.AsSpan(0, SealedValue.NonceSize);
        RandomNumberGenerator.Fill(nonce);
        byte[] aad = AssociatedData(recordId, value.SubjectId, keyId, place);
        using var aes = new AesGcm(key, SealedValue.TagSize);
        aes.Encrypt(nonce, plain.WrittenSpan, output.AsSpan(SealedValue.NonceSize, plain.WrittenCount), output.AsSpan(SealedValue.NonceSize + plain.WrittenCount), aad);
        CryptographicOperations.ZeroMemory(plain.GetSpan(0)); // best effort: the buffer's clear bytes
        return new SealedValue(value.SubjectId, keyId, output);
    }

    /// <summary>Opens <paramref name="value"/>; throws <see cref="AuthenticationTagMismatchException"/> when it was changed or moved.</summary>
    public static PersonalValue Open(SealedValue value, ReadOnlySpan<byte> key, Guid recordId, string place)
    {
        ReadOnlySpan<byte> all = value.Ciphertext.Span;
        int length = all.Length - SealedValue.NonceSize - SealedValue.TagSize;
        byte[] plain = new byte[length];
        using (var aes = new AesGcm(key, SealedValue.TagSize))
        {
            aes.Decrypt(all[..SealedValue.NonceSize], all.Slice(SealedValue.NonceSize, length), all[^SealedValue.TagSize..], plain,
                AssociatedData(recordId, value.SubjectId, value.KeyId, place));
        }

        using JsonDocument document = JsonDocument.Parse(plain);
        object? clear = ActivityMetadataJson.ReadValue(document.RootElement);
        CryptographicOperations.ZeroMemory(plain);
        return new PersonalValue(value.SubjectId, clear);
    }

    private static byte[] AssociatedData(Guid recordId, Guid subjectId, Guid keyId, string place)
    {
        int placeLength = Encoding.UTF8.GetByteCount(place);
        byte[] aad = new byte[Domain.Length + 48 + 4 + placeLength];
        Domain.CopyTo(aad, 0);
        int at = Domain.Length;
        recordId.TryWriteBytes(aad.AsSpan(at, 16), bigEndian: true, out _);
        subjectId.TryWriteBytes(aad.AsSpan(at + 16, 16), bigEndian: true, out _);
        keyId.TryWriteBytes(aad.AsSpan(at + 32, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(aad.AsSpan(at + 48, 4), placeLength);
        Encoding.UTF8.GetBytes(place, aad.AsSpan(at + 52));
        return aad;
    }

    /// <summary>Whether the record holds any value of <typeparamref name="T"/> (metadata or changes).</summary>
    public static bool Holds<T>(ActivityRecord record)
        where T : class
    {
        foreach (KeyValuePair<string, object?> entry in record.Metadata)
        {
            if (entry.Value is T)
            {
                return true;
            }
        }

        foreach (EntityChange change in record.Changes)
        {
            foreach (PropertyChange property in change.Properties)
            {
                if (property.OldValue is T || property.NewValue is T)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// What a store counts per data key when it stores <paramref name="record"/> (null when it holds no sealed value); refuses a
    /// record that holds a personal value in clear — the in-memory store's equivalent of the storage encoding's refusal.
    /// </summary>
    public static Dictionary<Guid, int>? SealedCounts(ActivityRecord record)
    {
        Dictionary<Guid, int>? counts = null;
        foreach (KeyValuePair<string, object?> entry in record.Metadata)
        {
            Count(entry.Value, ref counts);
        }

        foreach (EntityChange change in record.Changes)
        {
            foreach (PropertyChange property in change.Properties)
            {
                Count(property.OldValue, ref counts);
                Count(property.NewValue, ref counts);
            }
        }

        return counts;
    }

    private static void Count(object? value, ref Dictionary<Guid, int>? counts)
    {
        switch (value)
        {
            case SealedValue sealedValue:
                counts ??= [];
                counts[sealedValue.KeyId] = counts.GetValueOrDefault(sealedValue.KeyId) + 1;
                break;
            case PersonalValue personal:
                throw ActivityMetadataJson.Unsealed(personal);
            case ErasedValue:
                throw new ArgumentException("An erased value is what a sealed value reads as; it cannot be stored.", nameof(value));
        }
    }

    /// <summary>
    /// A copy of <paramref name="record"/> with every value <paramref name="map"/> changes replaced (metadata and changes);
    /// the same instance when none changes. <paramref name="map"/> gets the value and its place.
    /// </summary>
    public static ActivityRecord Map(ActivityRecord record, Func<object?, string, object?> map)
    {
        Dictionary<string, object?>? metadata = null;
        foreach (KeyValuePair<string, object?> entry in record.Metadata)
        {
            if (entry.Value is PersonalValue or SealedValue)
            {
                object? mapped = map(entry.Value, MetadataPlace(entry.Key));
                if (!ReferenceEquals(mapped, entry.Value))
                {
                    metadata ??= new Dictionary<string, object?>(record.Metadata, StringComparer.Ordinal);
                    metadata[entry.Key] = mapped;
                }
            }
        }

        EntityChange[]? changes = null;
        for (int i = 0; i < record.Changes.Count; i++)
        {
            EntityChange change = record.Changes[i];
            PropertyChange[]? properties = null;
            for (int j = 0; j < change.Properties.Count; j++)
            {
                PropertyChange property = change.Properties[j];
                object? oldValue = property.OldValue is PersonalValue or SealedValue ? map(property.OldValue, ChangePlace(change.Entity, property.Name, false)) : property.OldValue;
                object? newValue = property.NewValue is PersonalValue or SealedValue ? map(property.NewValue, ChangePlace(change.Entity, property.Name, true)) : property.NewValue;
                if (!ReferenceEquals(oldValue, property.OldValue) || !ReferenceEquals(newValue, property.NewValue))
                {
                    properties ??= [.. change.Properties];
                    properties[j] = property with { OldValue = oldValue, NewValue = newValue };
                }
            }

            if (properties is not null)
            {
                changes ??= [.. record.Changes];
                changes[i] = change with { Properties = properties };
            }
        }

        if (metadata is null && changes is null)
        {
            return record;
        }

        ActivityRecord copy = record;
        if (metadata is not null)
        {
            copy = copy with { Metadata = metadata };
        }

        if (changes is not null)
        {
            copy = copy with { Changes = changes };
        }

        return copy;
    }
}
