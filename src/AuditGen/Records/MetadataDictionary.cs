using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
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
            entries.Add(new(key, ActivityValue.Normalize(pair.Value, ActivityValue.MetadataSubject, key, paramName)));
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

    /// <summary>
    /// A copy in which <paramref name="replace"/> gives each entry's new value (the same instance when it changes none).
    /// For values that are valid by construction (sealing and opening personal values): they are not validated again.
    /// </summary>
    internal MetadataDictionary Replace<TState>(TState state, Func<TState, KeyValuePair<string, object?>, object?> replace)
    {
        KeyValuePair<string, object?>[]? copy = null;
        for (int i = 0; i < _entries.Length; i++)
        {
            object? value = replace(state, _entries[i]);
            if (!ReferenceEquals(value, _entries[i].Value))
            {
                copy ??= (KeyValuePair<string, object?>[])_entries.Clone();
                copy[i] = new(_entries[i].Key, value);
            }
        }

        return copy is null ? this : new MetadataDictionary(copy);
    }

    /// <inheritdoc/>
    public object? this[string key] =>
        TryGetValue(key, out object? value) ? value : throw new KeyNotFoundException($"Metadata has no key '{key}'.");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _entries.Select(static e => e.Key);

    /// <inheritdoc/>
    public IEnumerable<object?> Values => _entries.Select(static e => e.Value);

    /// <inheritdoc/>
    public int Count => _entries.Length;

    /// <summary>The entries in ordinal key order, for loops that must not allocate an enumerator (they run on every append).</summary>
    public ReadOnlySpan<KeyValuePair<string, object?>> Entries => _entries;

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
                !ActivityValue.ValueEquals(_entries[i].Value, other._entries[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as MetadataDictionary);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (KeyValuePair<string, object?> entry in _entries)
        {
            hash.Add(entry.Key, StringComparer.Ordinal);
            hash.Add(ActivityValue.Hash(entry.Value));
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
            ActivityValue.AppendText(text, _entries[i].Value);
        }

        return text.Append(" }").ToString();
    }
}
