using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace AuditGen;

/// <summary>
/// The immutable, validated copy of a record's metadata: entries sorted by key (ordinal), values normalized
/// to the JSON-safe set of the design, arrays copied into <see cref="ImmutableArray{T}"/> of <see cref="object"/>.
/// Equality is by content, so records read back from storage compare equal to the ones appended.
/// </summary>
internal sealed class MetadataDictionary : IReadOnlyDictionary<string, object?>, IEquatable<MetadataDictionary>
{
    public static readonly MetadataDictionary Empty = new([]);

    private const string SupportedValues =
        "values must be null, string, bool, an integral or floating-point number, decimal, Guid, DateTimeOffset, " +
        "DateOnly, TimeOnly, an enum (stored by name), or a one-dimensional array of those";

    private readonly KeyValuePair<string, object?>[] _entries;

    private MetadataDictionary(KeyValuePair<string, object?>[] entries) => _entries = entries;

    /// <summary>Validates and deep-copies <paramref name="source"/>; returns it unchanged when it already is a copy.</summary>
    public static MetadataDictionary From(IReadOnlyDictionary<string, object?>? source, string paramName)
    {
        switch (source)
        {
            case null:
                return Empty;
            case MetadataDictionary copy:
                return copy;
        }

        var entries = new List<KeyValuePair<string, object?>>(source.Count);
        foreach (KeyValuePair<string, object?> pair in source)
        {
            string key = ActivityValidation.MetadataKey(pair.Key, paramName);
            entries.Add(new(key, NormalizeValue(pair.Value, key, paramName)));
        }

        if (entries.Count == 0)
        {
            return Empty;
        }

        KeyValuePair<string, object?>[] sorted = [.. entries];
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (int i = 1; i < sorted.Length; i++)
        {
            if (string.Equals(sorted[i - 1].Key, sorted[i].Key, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Metadata key '{sorted[i].Key}' appears twice; keys must be unique.", paramName);
            }
        }

        return new MetadataDictionary(sorted);
    }

    private static object? NormalizeValue(object? value, string key, string paramName)
    {
        if (value is Array array)
        {
            if (array.Rank != 1)
            {
                throw Unsupported(key, value, paramName, "multi-dimensional arrays are not supported");
            }

            var builder = ImmutableArray.CreateBuilder<object?>(array.Length);
            foreach (object? item in array)
            {
                builder.Add(NormalizeScalar(item, key, paramName));
            }

            return builder.MoveToImmutable();
        }

        if (value is ImmutableArray<object?> items)
        {
            // Our own array form, as found in a stored record's metadata: check it, copy only if an element changes.
            ImmutableArray<object?>.Builder? changed = null;
            for (int i = 0; i < items.Length; i++)
            {
                object? normalized = NormalizeScalar(items[i], key, paramName);
                if (changed is null && !ReferenceEquals(normalized, items[i]))
                {
                    changed = ImmutableArray.CreateBuilder<object?>(items.Length);
                    changed.AddRange(items, i);
                }

                changed?.Add(normalized);
            }

            return changed is null ? value : changed.MoveToImmutable();
        }

        return NormalizeScalar(value, key, paramName);
    }

    private static object? NormalizeScalar(object? value, string key, string paramName) => value switch
    {
        null or string or bool or Guid or decimal or DateTimeOffset or DateOnly or TimeOnly => value,
        sbyte or byte or short or ushort or int or uint or long or ulong => value,
        double d when double.IsFinite(d) => value,
        float f when float.IsFinite(f) => value,
        double or float => throw new ArgumentException(
            $"Metadata value for key '{key}' is {Convert.ToString(value, CultureInfo.InvariantCulture)}; numbers must be finite (NaN and infinities are not JSON).", paramName),
        Enum e => EnumName(e, key, paramName),
        DateTime => throw Unsupported(key, value, paramName, "use DateTimeOffset so the offset is explicit"),
        char => throw Unsupported(key, value, paramName, "use a string"),
        Array or ImmutableArray<object?> => throw Unsupported(key, value, paramName, "arrays cannot be nested"),
        _ => throw Unsupported(key, value, paramName, null),
    };

    private static string EnumName(Enum value, string key, string paramName)
    {
        string name = value.ToString();
        if (name.Length == 0 || name[0] is '-' or (>= '0' and <= '9'))
        {
            throw new ArgumentException(
                $"Metadata value for key '{key}' is {value.GetType().Name} value {name}, which has no name; enums are stored by name.", paramName);
        }

        return name;
    }

    private static ArgumentException Unsupported(string key, object value, string paramName, string? hint) =>
        new($"Metadata value for key '{key}' has unsupported type '{value.GetType()}'; {SupportedValues}" +
            (hint is null ? "." : $" ({hint})."), paramName);

    /// <inheritdoc/>
    public object? this[string key] =>
        TryGetValue(key, out object? value) ? value : throw new KeyNotFoundException($"Metadata has no key '{key}'.");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _entries.Select(static e => e.Key);

    /// <inheritdoc/>
    public IEnumerable<object?> Values => _entries.Select(static e => e.Value);

    /// <inheritdoc/>
    public int Count => _entries.Length;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        int index = IndexOf(key);
        if (index < 0)
        {
            value = null;
            return false;
        }

        value = _entries[index].Value;
        return true;
    }

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int lo = 0, hi = _entries.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int cmp = string.CompareOrdinal(_entries[mid].Key, key);
            if (cmp == 0)
            {
                return mid;
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(MetadataDictionary? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._entries.Length != _entries.Length)
        {
            return false;
        }

        for (int i = 0; i < _entries.Length; i++)
        {
            if (!string.Equals(_entries[i].Key, other._entries[i].Key, StringComparison.Ordinal) ||
                !ValueEquals(_entries[i].Value, other._entries[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ValueEquals(object? a, object? b) =>
        a is ImmutableArray<object?> x && b is ImmutableArray<object?> y
            ? x.AsSpan().SequenceEqual(y.AsSpan(), EqualityComparer<object?>.Default)
            : Equals(a, b);

    public override bool Equals(object? obj) => Equals(obj as MetadataDictionary);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (KeyValuePair<string, object?> entry in _entries)
        {
            hash.Add(entry.Key, StringComparer.Ordinal);
            if (entry.Value is ImmutableArray<object?> items)
            {
                hash.Add(items.Length);
            }
            else
            {
                hash.Add(entry.Value);
            }
        }

        return hash.ToHashCode();
    }

    public override string ToString()
    {
        if (_entries.Length == 0)
        {
            return "{ }";
        }

        var text = new StringBuilder("{ ");
        for (int i = 0; i < _entries.Length; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(_entries[i].Key).Append(" = ");
            AppendValue(text, _entries[i].Value);
        }

        return text.Append(" }").ToString();
    }

    private static void AppendValue(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                text.Append('"').Append(s).Append('"');
                break;
            case ImmutableArray<object?> items:
                text.Append('[');
                for (int i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        text.Append(", ");
                    }

                    AppendValue(text, items[i]);
                }

                text.Append(']');
                break;
            default:
                text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
