using System.Collections.Immutable;
using System.Globalization;

namespace AuditGen;

/// <summary>
/// The field rules of the design, in one place. Every rule throws an <see cref="ArgumentException"/>
/// whose message names the field and the rule, and whose <see cref="ArgumentException.ParamName"/> is the caller's.
/// </summary>
internal static class ActivityValidation
{
    public const int MaxActionLength = 100;
    public const int MaxEntityTypeLength = 100;
    public const int MaxEntityIdLength = 200;
    public const int MaxMetadataKeyLength = 100;

    public const string ActionRule = "must be 1-100 characters of [a-z0-9_.:-]";

    public static string Action(string? value, string paramName, string field = "Action")
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"{field} is required; it {ActionRule}.");
        }

        if (value.Length is 0 or > MaxActionLength)
        {
            throw new ArgumentException($"{field} {ActionRule}; it has {value.Length} characters.", paramName);
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (!IsActionChar(value[i]))
            {
                throw new ArgumentException($"{field} {ActionRule}; {Describe(value[i])} at index {i} is not allowed.", paramName);
            }
        }

        return value;
    }

    public static bool IsValidAction(string? value)
    {
        if (value is null || value.Length is 0 or > MaxActionLength)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!IsActionChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static EntityRef EntityRef(EntityRef value, string paramName, string field = "EntityRef")
    {
        Text(value.EntityType, MaxEntityTypeLength, paramName, field, ".EntityType");
        Text(value.EntityId, MaxEntityIdLength, paramName, field, ".EntityId");
        return value;
    }

    public static Guid RequiredId(Guid value, string paramName, string field)
    {
        if (value == Guid.Empty)
        {
            throw new ArgumentException($"{field} must not be Guid.Empty; pass the real identifier.", paramName);
        }

        return value;
    }

    /// <summary>
    /// A W3C trace-context id (<c>trace-id</c>: 32, <c>parent-id</c>/span id: 16 lowercase hex digits, not all zero), or
    /// null for none.
    /// </summary>
    public static string? TraceContextId(string? value, int length, string paramName, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length != length)
        {
            throw new ArgumentException($"{field} must be {length} lowercase hex digits (W3C trace context) or null; it has {value.Length} characters.", paramName);
        }

        bool nonZero = false;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                throw new ArgumentException($"{field} must be {length} lowercase hex digits (W3C trace context) or null; {Describe(c)} at index {i} is not allowed.", paramName);
            }

            nonZero |= c != '0';
        }

        return nonZero
            ? value
            : throw new ArgumentException($"{field} must not be all zeros: W3C trace context uses that for an invalid id.", paramName);
    }

    public static string PropertyName(string? name, string paramName)
    {
        Text(name, PropertyChange.MaxNameLength, paramName, "PropertyChange.Name", "");
        return name!;
    }

    public static EntityChangeKind ChangeKind(EntityChangeKind kind, string paramName) =>
        kind is EntityChangeKind.Added or EntityChangeKind.Modified or EntityChangeKind.Deleted
            ? kind
            : throw new ArgumentException($"EntityChange.Kind must be Added, Modified or Deleted; {(int)kind} is not a kind.", paramName);

    /// <summary>
    /// The property changes of one entity change, checked against its kind and copied in ordinal order of their names:
    /// no null element, each name once, an added entity has no old values, a deleted one no new values, and a modified
    /// property changed (its old and new values differ, unless withheld or cut).
    /// </summary>
    public static ImmutableArray<PropertyChange> PropertyChanges(EntityRef entity, EntityChangeKind kind, IReadOnlyList<PropertyChange>? properties, string paramName)
    {
        if (properties is null)
        {
            throw new ArgumentNullException(paramName, $"EntityChange.Properties of {entity} is required (empty when no property is listed).");
        }

        // A stored change's own (sorted, immutable) array is kept as it is; anything else is copied and sorted.
        ImmutableArray<PropertyChange> sorted = properties is ImmutableArray<PropertyChange> given && IsSortedByName(given)
            ? given
            : SortedCopy(entity, properties, paramName);
        for (int i = 0; i < sorted.Length; i++)
        {
            PropertyChange property = sorted[i];
            if (i > 0 && string.Equals(sorted[i - 1].Name, property.Name, StringComparison.Ordinal))
            {
                throw new ArgumentException($"EntityChange.Properties of {entity} lists property '{property.Name}' twice; each property once (first old value, last new value).", paramName);
            }

            switch (kind)
            {
                case EntityChangeKind.Added when property.OldValue is not null:
                    throw new ArgumentException($"Property '{property.Name}' of added {entity} has an old value; an added entity's old values are null.", paramName);
                case EntityChangeKind.Deleted when property.NewValue is not null:
                    throw new ArgumentException($"Property '{property.Name}' of deleted {entity} has a new value; a deleted entity's new values are null.", paramName);
                case EntityChangeKind.Modified when !property.Withheld && !property.Truncated && property.OldValue is not ErasedValue && ActivityValue.ValueEquals(property.OldValue, property.NewValue):
                    throw new ArgumentException(
                        $"Property '{property.Name}' of modified {entity} has the same old and new value; a modified entity lists only the properties whose value changed.", paramName);
            }
        }

        return sorted;
    }

    /// <summary>
    /// <paramref name="validated"/> as the list a record keeps: <paramref name="given"/> itself when it already is that
    /// array boxed (a stored record's own list, passed on), else <paramref name="validated"/> boxed once.
    /// </summary>
    public static IReadOnlyList<T> Boxed<T>(IReadOnlyList<T>? given, ImmutableArray<T> validated) =>
        given is ImmutableArray<T> same && same == validated ? given : validated;

    /// <summary>A record's changes, copied: no null element, and each entity once (its changes merged into one).</summary>
    public static ImmutableArray<EntityChange> EntityChanges(IReadOnlyList<EntityChange>? changes, string paramName)
    {
        if (changes is null)
        {
            throw new ArgumentNullException(paramName, "Changes is required (empty when nothing was captured).");
        }

        if (changes.Count == 0)
        {
            return [];
        }

        var copy = new EntityChange[changes.Count];
        var seen = new HashSet<EntityRef>(changes.Count);
        for (int i = 0; i < copy.Length; i++)
        {
            EntityChange change = changes[i] ?? throw new ArgumentException($"Changes has a null element at index {i}.", paramName);
            if (!seen.Add(change.Entity))
            {
                throw new ArgumentException($"Changes lists {change.Entity} twice; merge an entity's changes into one EntityChange.", paramName);
            }

            copy[i] = change;
        }

        return changes is ImmutableArray<EntityChange> given ? given : ImmutableArray.Create(copy);
    }

    private static bool IsSortedByName(ImmutableArray<PropertyChange> properties)
    {
        for (int i = 0; i < properties.Length; i++)
        {
            if (properties[i] is null || (i > 0 && string.CompareOrdinal(properties[i - 1].Name, properties[i].Name) > 0))
            {
                return false;
            }
        }

        return true;
    }

    private static ImmutableArray<PropertyChange> SortedCopy(EntityRef entity, IReadOnlyList<PropertyChange> properties, string paramName)
    {
        var copy = new PropertyChange[properties.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = properties[i] ?? throw new ArgumentException($"EntityChange.Properties of {entity} has a null element at index {i}.", paramName);
        }

        Array.Sort(copy, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return ImmutableArray.Create(copy);
    }

    public static string MetadataKey(string? key, string paramName)
    {
        if (key is null)
        {
            throw new ArgumentException("Metadata keys must not be null.", paramName);
        }

        Text(key, MaxMetadataKeyLength, paramName, "Metadata key", "");
        return key;
    }

    /// <summary>
    /// Non-blank text of bounded length with no control characters (CR and LF included). The field's name is
    /// <paramref name="field"/> + <paramref name="member"/>, joined only when a rule is broken (appends allocate nothing here).
    /// </summary>
    private static void Text(string? value, int maxLength, string paramName, string field, string member)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"{field}{member} is required; it must be 1-{maxLength} characters.");
        }

        if (value.Length is 0 || value.Length > maxLength)
        {
            throw new ArgumentException($"{field}{member} must be 1-{maxLength} characters; it has {value.Length}.", paramName);
        }

        bool blank = true;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsControl(c))
            {
                throw new ArgumentException($"{field}{member} must not contain control characters; {Describe(c)} at index {i} is not allowed.", paramName);
            }

            blank &= char.IsWhiteSpace(c);
        }

        if (blank)
        {
            throw new ArgumentException($"{field}{member} must not be blank (whitespace only).", paramName);
        }
    }

    private static bool IsActionChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.' or ':' or '-';

    /// <summary>Describes a character without echoing control characters into logs.</summary>
    internal static string Describe(char c) => c switch
    {
        ' ' => "a space",
        '\r' => "a carriage return (U+000D)",
        '\n' => "a line feed (U+000A)",
        '\t' => "a tab (U+0009)",
        _ when char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) =>
            "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
        _ => $"'{c}'",
    };
}
