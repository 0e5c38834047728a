using System.ComponentModel;
using System.Text.Json.Serialization;

namespace AuditGen.AspNetCore;

/// <summary>One property of an <see cref="ActivityChangeResponse"/>: its old and new values, or that they were withheld.</summary>
/// <param name="Name">The property, such as <c>Title</c> or <c>Address.City</c>.</param>
public sealed record ActivityPropertyChangeResponse([property: Description("The property, such as Title, or Address.City for a property of an owned type.")] string Name)
{
    /// <summary>The value before; absent when null (an added entity) or withheld.</summary>
    [Description("The value before the change: a string, number, boolean or array; absent when null (an added entity) or withheld.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(ActivityValueJsonConverter))]
    public object? Old { get; init; }

    /// <summary>The value after; absent when null (a deleted entity) or withheld.</summary>
    [Description("The value after the change; absent when null (a deleted entity) or withheld.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(ActivityValueJsonConverter))]
    public object? New { get; init; }

    /// <summary>True when the values are sensitive and were never stored; absent otherwise.</summary>
    [Description("True when the property is sensitive: it changed, and its values were never stored. Absent otherwise.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Withheld { get; init; }

    /// <summary>True when a value was cut to the configured length; absent otherwise.</summary>
    [Description("True when a value was cut to the configured length. Absent otherwise.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Truncated { get; init; }

    /// <summary>Shapes a property change for the API.</summary>
    /// <param name="change">The property change.</param>
    /// <returns>The response.</returns>
    public static ActivityPropertyChangeResponse From(PropertyChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change.Name) { Old = change.OldValue, New = change.NewValue, Withheld = change.Withheld, Truncated = change.Truncated };
    }
}
