using System.ComponentModel;

namespace AuditGen.AspNetCore;

/// <summary>One action's count in a summary.</summary>
/// <param name="Action">The action.</param>
/// <param name="Count">How many records it has.</param>
public sealed record ActivityActionCountResponse(
    [property: Description("The action, such as create_task.")] string Action,
    [property: Description("How many records of it.")] long Count);

/// <summary>What one actor did, per action: the audit view.</summary>
/// <param name="ActorId">The actor.</param>
/// <param name="Since">The window's start, if given.</param>
/// <param name="Until">The window's end, if given.</param>
/// <param name="Total">Every record in the window.</param>
/// <param name="Actions">Per action, most first, then by name.</param>
public sealed record ActorSummaryResponse(
    [property: Description("The actor.")] Guid ActorId,
    [property: Description("The window's start (inclusive), or null.")] DateTimeOffset? Since,
    [property: Description("The window's end (exclusive), or null.")] DateTimeOffset? Until,
    [property: Description("How many records the actor has in the window.")] long Total,
    [property: Description("The count per action, most first, then by action name.")] IReadOnlyList<ActivityActionCountResponse> Actions);

/// <summary>What was done to one owner's data, per action.</summary>
/// <param name="OwnerId">The owner.</param>
/// <param name="Since">The window's start, if given.</param>
/// <param name="Until">The window's end, if given.</param>
/// <param name="Total">Every record in the window.</param>
/// <param name="Actions">Per action, most first, then by name.</param>
public sealed record OwnerSummaryResponse(
    [property: Description("The owner.")] Guid OwnerId,
    [property: Description("The window's start (inclusive), or null.")] DateTimeOffset? Since,
    [property: Description("The window's end (exclusive), or null.")] DateTimeOffset? Until,
    [property: Description("How many records of the owner's data are in the window.")] long Total,
    [property: Description("The count per action, most first, then by action name.")] IReadOnlyList<ActivityActionCountResponse> Actions);
