using System.Security.Claims;

namespace AuditGen.AspNetCore;

/// <summary>Reads OAuth 2.0 scopes from a user's <c>scope</c> or <c>scp</c> claims.</summary>
internal static class ActivityLogApiScopes
{
    public static bool HasScope(ClaimsPrincipal user, string scope)
    {
        foreach (Claim claim in user.Claims)
        {
            if (claim.Type is not ("scope" or "scp" or "http://schemas.microsoft.com/identity/claims/scope"))
            {
                continue;
            }

            foreach (Range part in claim.Value.AsSpan().Split(' '))
            {
                if (claim.Value.AsSpan()[part].Equals(scope, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>Registered by <c>AddActivityLogApi</c>, so that <c>MapActivityLogApi</c> can say what is missing.</summary>
internal sealed class ActivityLogApiMarker;
