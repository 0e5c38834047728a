using System.Collections;
using System.Globalization;
using System.Security.Cryptography;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// Turns the model's CLR values into values a record holds: the JSON-safe set as is (enums by name), <see cref="DateTime"/>
/// as a UTC <see cref="DateTimeOffset"/> (an unspecified kind is taken as UTC), binary values as their SHA-256 and
/// length, collections as arrays, anything else as its invariant text; text longer than the limit is cut.
/// </summary>
internal static class ChangeValues
{
    /// <summary>The record value of <paramref name="value"/>, whole (<see cref="Cut"/> shortens it).</summary>
    public static object? ToRecordValue(object? value) => value switch
    {
        null or string => value,
        byte[] bytes => Digest(bytes),
        IEnumerable items => Items(items),
        _ => Scalar(value),
    };

    /// <summary>A record value with its text cut to <paramref name="maxLength"/> characters (each element of an array).</summary>
    public static object? Cut(object? value, int maxLength, out bool truncated)
    {
        truncated = false;
        switch (value)
        {
            case string text when text.Length > maxLength:
                truncated = true;
                return text[..maxLength];
            case object?[] items when items.Any(i => i is string s && s.Length > maxLength):
                truncated = true;
                return items.Select(i => i is string s && s.Length > maxLength ? s[..maxLength] : i).ToArray();
            default:
                return value;
        }
    }

    /// <summary>A binary value as recorded: <c>sha256:&lt;hex&gt; (&lt;n&gt; bytes)</c>.</summary>
    public static string Digest(byte[] bytes) =>
        $"sha256:{Convert.ToHexStringLower(SHA256.HashData(bytes))} ({bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes)";

    private static object?[] Items(IEnumerable items)
    {
        var list = new List<object?>();
        foreach (object? item in items)
        {
            list.Add(item switch
            {
                null or string => item,
                byte[] bytes => Digest(bytes),
                IEnumerable => Convert.ToString(item, CultureInfo.InvariantCulture), // arrays are not nested
                _ => Scalar(item),
            });
        }

        return [.. list];
    }

    private static object? Scalar(object value) => value switch
    {
        bool or Guid or decimal or DateTimeOffset or DateOnly or TimeOnly => value,
        sbyte or byte or short or ushort or int or uint or long or ulong => value,
        double d => double.IsFinite(d) ? value : d.ToString(CultureInfo.InvariantCulture),
        float f => float.IsFinite(f) ? value : f.ToString(CultureInfo.InvariantCulture),
        Enum e => e.ToString(), // by name; a value without a name as its number
        DateTime t => t.Kind == DateTimeKind.Local ? new DateTimeOffset(t.ToUniversalTime()) : new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        char c => c.ToString(),
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Equality of record values: arrays element by element.</summary>
    public static bool Same(object? a, object? b) =>
        a is object?[] x && b is object?[] y ? x.AsSpan().SequenceEqual(y, EqualityComparer<object?>.Default) : Equals(a, b);

    /// <summary>A key value as an entity id: Guids as <c>D</c>, numbers invariant; composite keys joined by commas.</summary>
    public static string Id(ReadOnlySpan<object?> values)
    {
        if (values.Length == 1)
        {
            return IdPart(values[0]);
        }

        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            parts[i] = IdPart(values[i]);
        }

        return string.Join(',', parts);
    }

    private static string IdPart(object? value) => value switch
    {
        null => "",
        string s => s,
        Guid g => g.ToString("D"),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
