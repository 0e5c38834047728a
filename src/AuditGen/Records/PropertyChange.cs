using System.Text;

namespace AuditGen;

/// <summary>
/// One property of an <see cref="EntityChange"/>: its name and its value before and after, JSON-safe values as in
/// <see cref="ActivityRecord.Metadata"/> (arrays are copied, enums stored by name).
/// </summary>
/// <param name="Name">The property, such as <c>Title</c>; a property of an owned or complex type is
/// <c>Owner.Property</c>, such as <c>Address.City</c>. 1-200 characters, no control characters.</param>
/// <param name="OldValue">The value before the change; null for an added entity.</param>
/// <param name="NewValue">The value after the change; null for a deleted entity.</param>
/// <remarks>Equality compares values by content, so a change read back from storage equals the one appended.</remarks>
public sealed record PropertyChange(string Name, object? OldValue, object? NewValue)
{
    /// <summary>The longest property name, in characters.</summary>
    public const int MaxNameLength = 200;

    private readonly string _name = ActivityValidation.PropertyName(Name, nameof(Name));
    private readonly object? _oldValue = ActivityValue.Normalize(OldValue, ActivityValue.ChangeSubject, Name, nameof(OldValue));
    private readonly object? _newValue = ActivityValue.Normalize(NewValue, ActivityValue.ChangeSubject, Name, nameof(NewValue));
    private readonly bool _withheld;

    /// <summary>The property's name.</summary>
    public string Name
    {
        get => _name;
        init => _name = ActivityValidation.PropertyName(value, nameof(Name));
    }

    /// <summary>The value before the change (null for an added entity, and when <see cref="Withheld"/>).</summary>
    public object? OldValue
    {
        get => _oldValue;
        init => _oldValue = Checked(ActivityValue.Normalize(value, ActivityValue.ChangeSubject, _name, nameof(OldValue)), nameof(OldValue));
    }

    /// <summary>The value after the change (null for a deleted entity, and when <see cref="Withheld"/>).</summary>
    public object? NewValue
    {
        get => _newValue;
        init => _newValue = Checked(ActivityValue.Normalize(value, ActivityValue.ChangeSubject, _name, nameof(NewValue)), nameof(NewValue));
    }

    /// <summary>
    /// The property changed, and its values are not recorded: it is sensitive (<see cref="NotAuditedAttribute"/>, or a
    /// name on the configured list). Both values are then null: they are never stored.
    /// </summary>
    public bool Withheld
    {
        get => _withheld;
        init
        {
            if (value && (_oldValue is not null || _newValue is not null))
            {
                throw new ArgumentException(
                    $"Property '{_name}' is withheld, so its values must be null: a withheld value is never stored (create it with PropertyChange.WithheldChange(\"{_name}\")).",
                    nameof(Withheld));
            }

            _withheld = value;
        }
    }

    /// <summary>A value was cut to the configured length (the stored value is its beginning).</summary>
    public bool Truncated { get; init; }

    /// <summary>A change of a sensitive property: recorded as changed, both values withheld.</summary>
    /// <param name="name">The property's name.</param>
    /// <returns>The change.</returns>
    public static PropertyChange WithheldChange(string name) => new(name, null, null) { Withheld = true };

    private object? Checked(object? value, string paramName) =>
        value is not null && _withheld
            ? throw new ArgumentException($"Property '{_name}' is withheld, so its values must be null: a withheld value is never stored.", paramName)
            : value;

    /// <inheritdoc/>
    public bool Equals(PropertyChange? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         string.Equals(_name, other._name, StringComparison.Ordinal) &&
         ActivityValue.ValueEquals(_oldValue, other._oldValue) &&
         ActivityValue.ValueEquals(_newValue, other._newValue) &&
         _withheld == other._withheld &&
         Truncated == other.Truncated);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_name, ActivityValue.Hash(_oldValue), ActivityValue.Hash(_newValue), _withheld, Truncated);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(_name);
        if (_withheld)
        {
            builder.Append(", Withheld = True");
            return true;
        }

        builder.Append(", OldValue = ");
        ActivityValue.AppendText(builder, _oldValue);
        builder.Append(", NewValue = ");
        ActivityValue.AppendText(builder, _newValue);
        if (Truncated)
        {
            builder.Append(", Truncated = True");
        }

        return true;
    }
}
