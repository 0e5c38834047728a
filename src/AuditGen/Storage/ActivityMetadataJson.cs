using System.Buffers;
using System.Collections.Immutable;
using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AuditGen.Storage;

/// <summary>
/// The storage form of <see cref="ActivityRecord.Metadata"/>: JSON in which every value carries its type, so that a
/// record read back equals the one appended (numbers keep their type and precision, dates their offset, Guids stay
/// Guids). For adapter implementations.
/// </summary>
/// <remarks>
/// Each value is <c>null</c> or a two-element array <c>[tag, value]</c>: <c>s</c> string, <c>b</c> bool, <c>i1</c>
/// sbyte, <c>u1</c> byte, <c>i2</c> short, <c>u2</c> ushort, <c>i4</c> int, <c>u4</c> uint, <c>i8</c> long,
/// <c>u8</c> ulong, <c>f4</c> float, <c>f8</c> double, <c>m</c> decimal (a string, exact), <c>g</c> Guid,
/// <c>o</c> DateTimeOffset (round-trip "O" string), <c>d</c> DateOnly, <c>t</c> TimeOnly, <c>a</c> array of tagged values,
/// <c>x</c> a <see cref="SealedValue"/> (its text form). A <see cref="PersonalValue"/> is refused (an
/// <see cref="InvalidOperationException"/>): personal data is sealed before it reaches a store.
/// The same tagged values carry the old and new values of <see cref="ActivityRecord.Changes"/> (<see cref="ActivityChangesJson"/>):
/// one value encoding for everything a record holds.
/// Example: <c>{"title":["s","Write docs"],"priority":["i4",2]}</c>.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class ActivityMetadataJson
{
    /// <summary>Writes metadata as tagged JSON.</summary>
    /// <param name="metadata">A record's metadata.</param>
    /// <returns>The JSON text; <c>{}</c> when empty.</returns>
    public static string Serialize(IReadOnlyDictionary<string, object?> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Count == 0)
        {
            return "{}";
        }

        using var buffer = new PooledByteBuffer();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (KeyValuePair<string, object?> entry in metadata)
            {
                writer.WritePropertyName(entry.Key);
                WriteValue(writer, entry.Value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.Written);
    }

    /// <summary>Reads tagged JSON back into validated, immutable metadata.</summary>
    /// <param name="json">Text written by <see cref="Serialize"/>.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="FormatException">The text is not tagged metadata JSON.</exception>
    public static IReadOnlyDictionary<string, object?> Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json is "{}" or "")
        {
            return MetadataDictionary.Empty;
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

    /// <summary>Reads tagged JSON back into validated, immutable metadata, from its UTF-8 bytes (as a store may hold them).</summary>
    /// <param name="json">The UTF-8 of text written by <see cref="Serialize"/>.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="FormatException">The bytes are not tagged metadata JSON.</exception>
    public static IReadOnlyDictionary<string, object?> Deserialize(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty || json.SequenceEqual("{}"u8))
        {
            return MetadataDictionary.Empty;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("Stored metadata is a JSON object.");
            }

            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string key = reader.GetString()!;
                reader.Read();
                values[key] = ReadValue(ref reader);
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new FormatException("Stored metadata is one JSON object of keys and tagged values.");
            }

            return values.Count == 0 ? MetadataDictionary.Empty : MetadataDictionary.From(values, "metadata");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or FormatException)
        {
            throw new FormatException($"Stored metadata is not valid tagged JSON: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Writes metadata as plain JSON for people and front ends, such as an HTTP API's <c>details</c>: strings, booleans
    /// and numbers as themselves, Guids and dates as ISO-8601 strings, arrays as arrays. Not reversible (types are not
    /// kept); <see cref="Serialize"/> is the storage form.
    /// </summary>
    /// <param name="writer">Where to write the object.</param>
    /// <param name="metadata">A record's metadata.</param>
    public static void WritePlain(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> metadata)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(metadata);
        writer.WriteStartObject();
        foreach (KeyValuePair<string, object?> entry in metadata)
        {
            writer.WritePropertyName(entry.Key);
            WriteValue(writer, entry.Value, tagged: false);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes one metadata or change value as plain JSON, as <see cref="WritePlain"/> writes each value.</summary>
    /// <param name="writer">Where to write it.</param>
    /// <param name="value">A value from <see cref="ActivityRecord.Metadata"/> or a <see cref="PropertyChange"/>.</param>
    public static void WritePlainValue(Utf8JsonWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteValue(writer, value, tagged: false);
    }

    /// <summary>One value; <paramref name="tagged"/> wraps it as <c>[tag, value]</c> with exact text forms for decimals and dates.</summary>
    internal static void WriteValue(Utf8JsonWriter writer, object? value, bool tagged = true)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        switch (value)
        {
            case PersonalValue personal when !tagged:
                WriteValue(writer, personal.Value, tagged: false); // read for people while the subject's key exists
                return;
            case ErasedValue when !tagged:
                writer.WriteStartObject();
                writer.WriteBoolean("erased", true);
                writer.WriteEndObject();
                return;
            case SealedValue when !tagged:
                writer.WriteStartObject(); // not opened by the reader (no key service): never the ciphertext
                writer.WriteBoolean("sealed", true);
                writer.WriteEndObject();
                return;
            case SealedValue sealedValue:
                writer.WriteStartArray();
                writer.WriteStringValue("x");
                writer.WriteStringValue(sealedValue.ToText());
                writer.WriteEndArray();
                return;
        }

        string tag = Tag(value); // also rejects what ActivityRecord.Metadata cannot hold, in both forms
        if (tagged)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(tag);
        }

        switch (value)
        {
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case sbyte n: writer.WriteNumberValue(n); break;
            case byte n: writer.WriteNumberValue(n); break;
            case short n: writer.WriteNumberValue(n); break;
            case ushort n: writer.WriteNumberValue(n); break;
            case int n: writer.WriteNumberValue(n); break;
            case uint n: writer.WriteNumberValue(n); break;
            case long n: writer.WriteNumberValue(n); break;
            case ulong n: writer.WriteNumberValue(n); break;
            case float n: writer.WriteNumberValue(n); break;
            case double n: writer.WriteNumberValue(n); break;
            case decimal n when tagged: writer.WriteStringValue(n.ToString(CultureInfo.InvariantCulture)); break;
            case decimal n: writer.WriteNumberValue(n); break;
            case Guid g: writer.WriteStringValue(g); break;
            case DateTimeOffset o when tagged: writer.WriteStringValue(o.ToString("O", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset o: writer.WriteStringValue(o); break;
            case DateOnly d: writer.WriteStringValue(d.ToString("O", CultureInfo.InvariantCulture)); break;
            case TimeOnly t: writer.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture)); break;
            case ImmutableArray<object?> items:
                writer.WriteStartArray();
                foreach (object? item in items)
                {
                    WriteValue(writer, item, tagged);
                }

                writer.WriteEndArray();
                break;
        }

        if (tagged)
        {
            writer.WriteEndArray();
        }
    }

    /// <summary>The type tag of a value (see the remarks); anything else did not come from <see cref="ActivityRecord.Metadata"/>.</summary>
    private static string Tag(object value) => value switch
    {
        string => "s",
        bool => "b",
        sbyte => "i1",
        byte => "u1",
        short => "i2",
        ushort => "u2",
        int => "i4",
        uint => "u4",
        long => "i8",
        ulong => "u8",
        float => "f4",
        double => "f8",
        decimal => "m",
        Guid => "g",
        DateTimeOffset => "o",
        DateOnly => "d",
        TimeOnly => "t",
        ImmutableArray<object?> => "a",
        PersonalValue personal => throw Unsealed(personal),
        ErasedValue => throw new ArgumentException("An erased value is what a sealed value reads as; it cannot be stored (store the record as it was read from storage).", nameof(value)),
        _ => throw new ArgumentException($"Metadata value of type '{value.GetType()}' cannot be stored; it did not come from ActivityRecord.Metadata.", nameof(value)),
    };

    /// <summary>The refusal of every store's encoding when a personal value arrives in clear.</summary>
    internal static InvalidOperationException Unsealed(PersonalValue value) => new(
        $"A personal value of subject {value.SubjectId:D} reached storage unsealed; personal data is never stored in clear. " +
        "Append through ActivityLog with personal data protection (AddActivityLog registers it; ActivityLog.PersonalData), which seals it under the subject's key.");

    /// <summary>
    /// One tagged value read in place by <paramref name="reader"/>, which stands on its first token (<c>null</c> or the
    /// array's start) and is left on its last: the one reader of the tags written by <see cref="WriteValue"/> (arrays as
    /// <c>object?[]</c>, which the record's validation turns into <c>ImmutableArray&lt;object?&gt;</c>).
    /// </summary>
    /// <exception cref="FormatException">The JSON is not a tagged value.</exception>
    internal static object? ReadValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            throw new FormatException("A stored value is null or [tag, value].");
        }

        string tag = reader.ValueSpan.Length <= 2 && !reader.ValueIsEscaped ? TagText(reader.ValueSpan) : reader.GetString()!;
        if (!reader.Read())
        {
            throw new FormatException("A stored value ends after its tag.");
        }

        object? value = tag switch
        {
            "s" => reader.GetString(),
            "b" => reader.GetBoolean(),
            "i1" => reader.GetSByte(),
            "u1" => reader.GetByte(),
            "i2" => reader.GetInt16(),
            "u2" => reader.GetUInt16(),
            "i4" => reader.GetInt32(),
            "u4" => reader.GetUInt32(),
            "i8" => reader.GetInt64(),
            "u8" => reader.GetUInt64(),
            "f4" => reader.GetSingle(),
            "f8" => reader.GetDouble(),
            "m" => decimal.Parse(reader.GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), // exactly as written: no separators
            "g" => reader.GetGuid(),
            "o" => DateTimeOffset.ParseExact(reader.GetString()!, "O", CultureInfo.InvariantCulture),
            "d" => DateOnly.ParseExact(reader.GetString()!, "O", CultureInfo.InvariantCulture),
            "t" => TimeOnly.ParseExact(reader.GetString()!, "O", CultureInfo.InvariantCulture),
            "a" => ReadItems(ref reader),
            "x" => ReadSealed(ref reader),
            _ => throw new FormatException($"unknown type tag '{tag}'"),
        };
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new FormatException("A stored value is [tag, value]: it has more than two elements.");
        }

        return value;
    }

    /// <summary>A sealed value's text, parsed from the JSON's UTF-8 (unescaped on the stack) with no string in between.</summary>
    private static SealedValue ReadSealed(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new FormatException("A sealed value is a JSON string.");
        }

        int length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        byte[]? rented = length > SealedValue.StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> text = rented ?? stackalloc byte[SealedValue.StackLimit];
        try
        {
            return SealedValue.Parse(text[..reader.CopyString(text)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The interned text of a tag of one or two bytes (no allocation for the tags this type writes).</summary>
    private static string TagText(ReadOnlySpan<byte> tag) => tag switch
    {
        [(byte)'s'] => "s",
        [(byte)'b'] => "b",
        [(byte)'m'] => "m",
        [(byte)'g'] => "g",
        [(byte)'o'] => "o",
        [(byte)'d'] => "d",
        [(byte)'t'] => "t",
        [(byte)'a'] => "a",
        [(byte)'x'] => "x",
        [(byte)'i', (byte)'4'] => "i4",
        [(byte)'i', (byte)'8'] => "i8",
        _ => Encoding.UTF8.GetString(tag),
    };

    private static object?[] ReadItems(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException("An array value is a JSON array of tagged values.");
        }

        var items = new List<object?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(ReadValue(ref reader));
        }

        return [.. items];
    }

    /// <summary>One tagged value of a parsed document: read by <see cref="ReadValue(ref Utf8JsonReader)"/> from its bytes (one home for the tags).</summary>
    internal static object? ReadValue(JsonElement element)
    {
#if NET9_0_OR_GREATER
        var reader = new Utf8JsonReader(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element));
#else
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(element.GetRawText()));
#endif
        reader.Read();
        return ReadValue(ref reader);
    }
}
