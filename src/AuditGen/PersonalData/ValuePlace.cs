using System.Text;

namespace AuditGen;

/// <summary>
/// Where a personal value sits in its record, as sealing binds it into the associated data: a metadata key
/// (<c>m\0key</c>), or a change's entity, property and side (<c>c\0type\0id\0property\0old|new</c>), written as UTF-8
/// straight into the associated data, so sealing and opening make no string per value.
/// </summary>
internal readonly struct ValuePlace
{
    private readonly string _keyOrType;
    private readonly string? _id;
    private readonly string? _property;
    private readonly bool _newValue;

    private ValuePlace(string keyOrType, string? id, string? property, bool newValue)
    {
        _keyOrType = keyOrType;
        _id = id;
        _property = property;
        _newValue = newValue;
    }

    /// <summary>A metadata value's place.</summary>
    public static ValuePlace Metadata(string key) => new(key, null, null, false);

    /// <summary>A change's old or new value of <paramref name="property"/> of <paramref name="entity"/>.</summary>
    public static ValuePlace Change(EntityRef entity, string property, bool newValue) => new(entity.EntityType, entity.EntityId, property, newValue);

    /// <summary>The bytes <see cref="Write"/> writes.</summary>
    public int ByteCount => _property is null
        ? 2 + Encoding.UTF8.GetByteCount(_keyOrType)
        : 2 + Encoding.UTF8.GetByteCount(_keyOrType) + 1 + Encoding.UTF8.GetByteCount(_id!) + 1 + Encoding.UTF8.GetByteCount(_property) + 4;

    /// <summary>Writes the place's UTF-8 into <paramref name="destination"/> (at least <see cref="ByteCount"/> bytes); returns how many it wrote.</summary>
    public int Write(Span<byte> destination)
    {
        if (_property is null)
        {
            "m\0"u8.CopyTo(destination);
            return 2 + Encoding.UTF8.GetBytes(_keyOrType, destination[2..]);
        }

        "c\0"u8.CopyTo(destination);
        int at = 2 + Encoding.UTF8.GetBytes(_keyOrType, destination[2..]);
        destination[at++] = 0;
        at += Encoding.UTF8.GetBytes(_id!, destination[at..]);
        destination[at++] = 0;
        at += Encoding.UTF8.GetBytes(_property, destination[at..]);
        destination[at++] = 0;
        (_newValue ? "new"u8 : "old"u8).CopyTo(destination[at..]);
        return at + 3;
    }

    /// <summary>The place as text (the same characters as its bytes).</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        _property is null ? "m\0" + _keyOrType : $"c\0{_keyOrType}\0{_id}\0{_property}\0{(_newValue ? "new" : "old")}";
}
