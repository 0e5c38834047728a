using System.ComponentModel;

namespace AuditGen.AspNetCore;

/// <summary>The application's action catalog.</summary>
/// <param name="Items">Every logged action, ordered by name.</param>
public sealed record ActivityActionCatalogResponse(
    [property: Description("Every logged action, ordered by name.")] IReadOnlyList<ActivityActionResponse> Items);
