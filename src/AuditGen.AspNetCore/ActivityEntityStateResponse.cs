using System.ComponentModel;
using System.Text.Json.Serialization;

namespace AuditGen.AspNetCore;

/// <summary>An entity as of a point in time, rebuilt from its recorded changes (<see cref="ActivityEntityState"/>).</summary>
/// <param name="Entity">The entity: <c>Type#id</c>.</param>
/// <param name="At">The point in time.</param>
/// <param name="IsComplete">Whether the entity's creation was recorded, so every property is known.</param>
/// <param name="IsDeleted">Whether the entity was deleted at that time.</param>
/// <param name="Properties">The properties and their values.</param>
/// <param name="Withheld">Properties whose values are sensitive and were never stored.</param>
/// <param name="AsOfSequence">The newest record the state was rebuilt from.</param>
public sealed record ActivityEntityStateResponse(
    [property: Description("The entity, as Type#id.")] string Entity,
    [property: Description("The point in time the state is for: ISO-8601, UTC.")] DateTime At,
    [property: Description("True when the entity's creation was recorded, so every property is known; false when only later changes were recorded.")] bool IsComplete,
    [property: Description("True when the entity was deleted at that time; properties is then empty.")] bool IsDeleted,
    [property: Description("The properties and their values at that time, in ordinal order of their names.")]
    [property: JsonConverter(typeof(ActivityDetailsJsonConverter))]
    IReadOnlyDictionary<string, object?> Properties,
    [property: Description("Properties that exist but whose values are sensitive and were never stored.")] IReadOnlyList<string> Withheld,
    [property: Description("The sequence of the newest record the state was rebuilt from.")] long AsOfSequence)
{
    /// <summary>Shapes a state for the API.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The response.</returns>
    public static ActivityEntityStateResponse From(ActivityEntityState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.Entity.ToString(), state.At.UtcDateTime, state.IsComplete, state.IsDeleted, state.Properties, state.Withheld, state.AsOfSequence);
    }
}
