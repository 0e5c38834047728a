using System.ComponentModel;
using System.Text;
using System.Text.Json;

namespace AuditGen.Storage;

/// <summary>
/// Rebuilds one entity's state from its records, oldest first: an addition starts a complete state, a modification sets
/// the new values, a deletion empties it. Adapters feed it the stored changes JSON straight from their rows
/// (<see cref="Apply(long, DateTimeOffset, string?)"/>), which reads only that entity's changes and only their new values,
/// without building records. For adapter implementations of <see cref="IActivityLogRepo.GetEntityStateAsync"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class ActivityEntityStateBuilder
{
    private readonly EntityRef _entity;
    private readonly DateTimeOffset _at;
    private readonly byte[] _type;
    private readonly byte[] _id;
    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);
    private readonly HashSet<string> _withheld = new(StringComparer.Ordinal);
    private bool _complete;
    private bool _deleted;
    private long _last;

    /// <summary>Starts the state of <paramref name="entity"/> as of <paramref name="at"/>.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="at">The point in time; records after it are skipped.</param>
    public ActivityEntityStateBuilder(EntityRef entity, DateTimeOffset at)
    {
        _entity = entity;
        _at = at;
        _type = Encoding.UTF8.GetBytes(entity.EntityType);
        _id = Encoding.UTF8.GetBytes(entity.EntityId);
    }

    /// <summary>Applies a record's changes of the entity.</summary>
    /// <param name="record">The next record, in log order.</param>
    public void Apply(ActivityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Take(record.Sequence, record.OccurredAt))
        {
            return;
        }

        foreach (EntityChange change in record.Changes)
        {
            if (change.Entity != _entity)
            {
                continue;
            }

            Begin(change.Kind);
            if (change.Kind == EntityChangeKind.Deleted)
            {
                continue;
            }

            foreach (PropertyChange property in change.Properties)
            {
                Set(property.Name, property.Withheld, property.NewValue);
            }
        }
    }

    /// <summary>Applies a stored row's changes of the entity, read from their JSON (<see cref="ActivityChangesJson"/>).</summary>
    /// <param name="sequence">The row's sequence, in log order.</param>
    /// <param name="occurredAt">When it occurred.</param>
    /// <param name="changesJson">Its stored changes, or null for none.</param>
    /// <exception cref="FormatException">The text is not tagged changes JSON.</exception>
    public void Apply(long sequence, DateTimeOffset occurredAt, string? changesJson)
    {
        if (!Take(sequence, occurredAt) || string.IsNullOrEmpty(changesJson))
        {
            return;
        }

        try
        {
            Read(Encoding.UTF8.GetBytes(changesJson));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new FormatException($"Stored changes are not valid tagged changes JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The state, or null when no record was applied.</summary>
    /// <returns>The entity's state as of the point in time.</returns>
    public ActivityEntityState? Build() => _last == 0
        ? null
        : new ActivityEntityState(_entity, _at, _complete, System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, _properties))
        {
            IsDeleted = _deleted,
            Withheld = [.. _withheld.Order(StringComparer.Ordinal)],
            AsOfSequence = _last,
        };

    private bool Take(long sequence, DateTimeOffset occurredAt)
    {
        if (occurredAt > _at)
        {
            return false; // within a query's slack, but after `at`
        }

        _last = sequence;
        return true;
    }

    private void Begin(EntityChangeKind kind)
    {
        if (kind == EntityChangeKind.Modified)
        {
            return;
        }

        _properties.Clear();
        _withheld.Clear();
        _complete |= kind == EntityChangeKind.Added;
        _deleted = kind == EntityChangeKind.Deleted;
    }

    private void Set(string name, bool withheld, object? value)
    {
        if (withheld)
        {
            _properties.Remove(name);
            _withheld.Add(name);
        }
        else
        {
            _withheld.Remove(name);
            _properties[name] = value;
        }
    }

    /// <summary>
    /// Walks <c>[{"type","id","kind","properties":[{"name","old","new","withheld","truncated"}]}]</c> as
    /// <see cref="ActivityChangesJson"/> writes it: other entities' changes and every old value are skipped unread.
    /// </summary>
    private void Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartArray);
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            bool typeMatches = false, idMatches = false;
            EntityChangeKind? kind = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    Next(ref reader);
                    typeMatches = reader.ValueTextEquals(_type);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    Next(ref reader);
                    idMatches = reader.ValueTextEquals(_id);
                }
                else if (reader.ValueTextEquals("kind"u8))
                {
                    Next(ref reader);
                    kind = reader.ValueTextEquals("added"u8) ? EntityChangeKind.Added
                        : reader.ValueTextEquals("deleted"u8) ? EntityChangeKind.Deleted
                        : reader.ValueTextEquals("modified"u8) ? EntityChangeKind.Modified
                        : throw new FormatException($"unknown change kind '{reader.GetString()}'");
                }
                else if (reader.ValueTextEquals("properties"u8) && typeMatches && idMatches && kind is { } known)
                {
                    Begin(known);
                    Expect(ref reader, JsonTokenType.StartArray);
                    while (Next(ref reader) == JsonTokenType.StartObject)
                    {
                        ReadProperty(ref reader, apply: known != EntityChangeKind.Deleted);
                    }
                }
                else
                {
                    Next(ref reader);
                    reader.Skip(); // another entity's properties (type, id and kind come first), or a member to ignore
                }
            }
        }
    }

    private void ReadProperty(ref Utf8JsonReader reader, bool apply)
    {
        string? name = null;
        bool withheld = false;
        object? value = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                Next(ref reader);
                name = reader.GetString();
            }
            else if (reader.ValueTextEquals("new"u8))
            {
                Next(ref reader);
                value = ReadValue(ref reader);
            }
            else if (reader.ValueTextEquals("withheld"u8))
            {
                Next(ref reader);
                withheld = reader.GetBoolean();
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        if (apply)
        {
            Set(name ?? throw new FormatException("a property change has no name"), withheld, withheld ? null : value);
        }
    }

    /// <summary>A tagged value, arrays normalized as records hold them.</summary>
    private static object? ReadValue(ref Utf8JsonReader reader)
    {
        object? stored = ActivityMetadataJson.ReadValue(ref reader);
        return stored is object?[] array ? ActivityValue.Normalize(array, "Stored change value", "new", "value") : stored;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new FormatException("the JSON ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new FormatException($"expected {type}, found {reader.TokenType}");
        }
    }
}
