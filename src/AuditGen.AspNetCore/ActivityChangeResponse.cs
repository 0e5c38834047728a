using System.ComponentModel;

namespace AuditGen.AspNetCore;

/// <summary>What a record's use case did to one entity, field by field (<see cref="EntityChange"/>), as the API answers it.</summary>
/// <param name="Entity">The entity: <c>Type#id</c>.</param>
/// <param name="Kind"><c>added</c>, <c>modified</c> or <c>deleted</c>.</param>
/// <param name="Properties">The changed properties, in ordinal order of their names.</param>
public sealed record ActivityChangeResponse(
    [property: Description("The entity that changed, as Type#id.")] string Entity,
    [property: Description("added, modified or deleted.")] string Kind,
    [property: Description("The properties that changed, in ordinal order of their names.")] IReadOnlyList<ActivityPropertyChangeResponse> Properties)
{
    /// <summary>Shapes a change for the API.</summary>
    /// <param name="change">The change.</param>
    /// <returns>The response.</returns>
    public static ActivityChangeResponse From(EntityChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var properties = new ActivityPropertyChangeResponse[change.Properties.Count];
        for (int i = 0; i < properties.Length; i++)
        {
            properties[i] = ActivityPropertyChangeResponse.From(change.Properties[i]);
        }

        return new(change.Entity.ToString(), Storage.ActivityChangesJson.KindName(change.Kind), properties);
    }
}
