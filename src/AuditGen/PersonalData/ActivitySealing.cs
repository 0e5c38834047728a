using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
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

    /// <summary>Seals <paramref name="value"/> with <paramref name="aes"/>, the subject's key <paramref name="keyId"/>.</summary>
    public static SealedValue Seal(PersonalValue value, Guid keyId, AesGcm aes, Guid recordId, ValuePlace place)
    {
        ArrayBufferWriter<byte> plain = ThreadPlain ??= new ArrayBufferWriter<byte>(256);
        Utf8JsonWriter writer = ThreadWriter ??= new Utf8JsonWriter(plain);
        writer.Reset(plain);
        ActivityMetadataJson.WriteValue(writer, value.Value);
        writer.Flush();
        try
        {
            byte[] output = new byte[SealedValue.NonceSize + plain.WrittenCount + SealedValue.TagSize];
            Span<byte> nonce = output.AsSpan(0, SealedValue.NonceSize);
            ThreadRandom.Fill(nonce); // fresh random bytes, never handed out twice
            int aadLength = AssociatedDataLength(place);
            byte[]? rented = aadLength > StackLimit ? ArrayPool<byte>.Shared.Rent(aadLength) : null;
            Span<byte> aad = rented is null ? stackalloc byte[StackLimit] : rented;
            aad = aad[..WriteAssociatedData(aad, recordId, value.SubjectId, keyId, place)];
            aes.Encrypt(nonce, plain.WrittenSpan, output.AsSpan(SealedValue.NonceSize, plain.WrittenCount), output.AsSpan(SealedValue.NonceSize + plain.WrittenCount), aad);
            Return(rented);
            return SealedValue.Own(value.SubjectId, keyId, output);
        }
        finally
        {
            plain.Clear(); // zeroes the clear bytes
        }
    }

    /// <summary>Opens <paramref name="value"/> with <paramref name="aes"/>; throws <see cref="AuthenticationTagMismatchException"/> when it was changed or moved.</summary>
    public static PersonalValue Open(SealedValue value, AesGcm aes, Guid recordId, ValuePlace place)
    {
        ReadOnlySpan<byte> all = value.Ciphertext.Span;
        int length = all.Length - SealedValue.NonceSize - SealedValue.TagSize;
        byte[]? rentedPlain = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> plain = (rentedPlain is null ? stackalloc byte[StackLimit] : rentedPlain)[..length];
        int aadLength = AssociatedDataLength(place);
        byte[]? rentedAad = aadLength > StackLimit ? ArrayPool<byte>.Shared.Rent(aadLength) : null;
        Span<byte> aad = rentedAad is null ? stackalloc byte[StackLimit] : rentedAad;
        aad = aad[..WriteAssociatedData(aad, recordId, value.SubjectId, value.KeyId, place)];
        try
        {
            aes.Decrypt(all[..SealedValue.NonceSize], all.Slice(SealedValue.NonceSize, length), all[^SealedValue.TagSize..], plain, aad);
            var reader = new Utf8JsonReader(plain);
            reader.Read();
            object? clear = ActivityMetadataJson.ReadValue(ref reader);
            return new PersonalValue(value.SubjectId, clear);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
            Return(rentedPlain);
            Return(rentedAad);
        }
    }

    /// <summary>Bytes kept on the stack for a value's clear text or associated data; longer ones are rented.</summary>
    private const int StackLimit = 256;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? ThreadPlain;

    [ThreadStatic]
    private static Utf8JsonWriter? ThreadWriter;

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int AssociatedDataLength(ValuePlace place) => Domain.Length + 52 + place.ByteCount;

    /// <summary>Domain ‖ record id ‖ subject ‖ key id (each 16 bytes, big-endian) ‖ the place's length (int32, big-endian) ‖ the place (UTF-8).</summary>
    private static int WriteAssociatedData(Span<byte> aad, Guid recordId, Guid subjectId, Guid keyId, ValuePlace place)
    {
        Domain.CopyTo(aad);
        int at = Domain.Length;
        recordId.TryWriteBytes(aad.Slice(at, 16), bigEndian: true, out _);
        subjectId.TryWriteBytes(aad.Slice(at + 16, 16), bigEndian: true, out _);
        keyId.TryWriteBytes(aad.Slice(at + 32, 16), bigEndian: true, out _);
        int placeLength = place.Write(aad[(at + 52)..]);
        BinaryPrimitives.WriteInt32BigEndian(aad.Slice(at + 48, 4), placeLength);
        return at + 52 + placeLength;
    }

    /// <summary>Calls <paramref name="visit"/> with every value of the record (metadata, then changes' old and new values).</summary>
    public static void EachValue<TState>(ActivityRecord record, TState state, Action<TState, object?> visit) =>
        AnyValue(record, (state, visit), static (s, value) =>
        {
            s.visit(s.state, value);
            return false;
        });

    /// <summary>Whether the record holds any value of <typeparamref name="T"/> (metadata or changes).</summary>
    public static bool Holds<T>(ActivityRecord record)
        where T : class => AnyValue(record, 0, static (_, value) => value is T);

    /// <summary>
    /// What a store counts per data key when it stores <paramref name="record"/> (null when it holds no sealed value); refuses a
    /// record that holds a personal value in clear — the in-memory store's equivalent of the storage encoding's refusal.
    /// </summary>
    public static Dictionary<Guid, int>? SealedCounts(ActivityRecord record)
    {
        if (!AnyValue(record, 0, static (_, value) => value is SealedValue or PersonalValue or ErasedValue))
        {
            return null; // the usual record: one pass, nothing allocated
        }

        var counts = new Dictionary<Guid, int>();
        EachValue(record, counts, Count);
        return counts.Count == 0 ? null : counts;
    }

    /// <summary>
    /// The one walk over a record's values (metadata, then changes' old and new values), stopping at the first for which
    /// <paramref name="match"/> is true. Indexed, with no enumerator: it runs several times on every append.
    /// </summary>
    private static bool AnyValue<TState>(ActivityRecord record, TState state, Func<TState, object?, bool> match)
    {
        foreach (KeyValuePair<string, object?> entry in ((MetadataDictionary)record.Metadata).Entries)
        {
            if (match(state, entry.Value))
            {
                return true;
            }
        }

        IReadOnlyList<EntityChange> changes = record.Changes;
        for (int i = 0; i < changes.Count; i++)
        {
            IReadOnlyList<PropertyChange> properties = changes[i].Properties;
            for (int j = 0; j < properties.Count; j++)
            {
                if (match(state, properties[j].OldValue) || match(state, properties[j].NewValue))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void Count(Dictionary<Guid, int> counts, object? value)
    {
        switch (value)
        {
            case SealedValue sealedValue:
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
    public static ActivityRecord Map(ActivityRecord record, Func<object?, ValuePlace, object?> map)
    {
        var metadata = (MetadataDictionary)record.Metadata;
        MetadataDictionary mapped = metadata.Replace(map, static (map, entry) =>
            entry.Value is PersonalValue or SealedValue ? map(entry.Value, ValuePlace.Metadata(entry.Key)) : entry.Value);

        EntityChange[]? changes = null;
        for (int i = 0; i < record.Changes.Count; i++)
        {
            EntityChange change = record.Changes[i];
            PropertyChange[]? properties = null;
            for (int j = 0; j < change.Properties.Count; j++)
            {
                PropertyChange property = change.Properties[j];
                object? oldValue = property.OldValue is PersonalValue or SealedValue ? map(property.OldValue, ValuePlace.Change(change.Entity, property.Name, false)) : property.OldValue;
                object? newValue = property.NewValue is PersonalValue or SealedValue ? map(property.NewValue, ValuePlace.Change(change.Entity, property.Name, true)) : property.NewValue;
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

        if (ReferenceEquals(mapped, metadata) && changes is null)
        {
            return record;
        }

        ActivityRecord copy = record;
        if (!ReferenceEquals(mapped, metadata))
        {
            copy = copy with { Metadata = mapped }; // already a validated copy: taken as it is
        }

        if (changes is not null)
        {
            copy = copy with { Changes = changes };
        }

        return copy;
    }
}
