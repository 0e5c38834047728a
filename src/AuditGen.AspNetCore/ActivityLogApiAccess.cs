using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace AuditGen.AspNetCore;

/// <summary>Who may read what, in one place for every route: the read policy, or one's own data as its owner.</summary>
internal static class ActivityLogApiAccess
{
    /// <summary>The signed-in user's id (a Guid), or null.</summary>
    public static Guid? UserId(ClaimsPrincipal user, ActivityLogApiOptions options) =>
        ClaimsActorAccessor.TryGetUserId(user, options.UserIdClaimType, out Guid? id, out _) ? id : null;

    /// <summary>Whether the user holds the read policy (may read everything).</summary>
    public static async Task<bool> CanReadAllAsync(ClaimsPrincipal user, IAuthorizationService authorization, ActivityLogApiOptions options) =>
        (await authorization.AuthorizeAsync(user, options.ReadPolicy)).Succeeded;

    /// <summary>Whether the user may read the data of <paramref name="owner"/>: they are that owner, or hold the read policy.</summary>
    public static async Task<bool> MayReadOwnerAsync(ClaimsPrincipal user, Guid owner, IAuthorizationService authorization, ActivityLogApiOptions options) =>
        UserId(user, options) == owner || await CanReadAllAsync(user, authorization, options);
}
