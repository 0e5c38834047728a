using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AuditGen.AspNetCore;

/// <summary>
/// The current actor from the signed-in user's claims (<see cref="ActivityLogApiOptions.UserIdClaimType"/>, else
/// <c>sub</c>, else <see cref="ClaimTypes.NameIdentifier"/>), for the generated code and the read API.
/// </summary>
/// <remarks>
/// No request, no authenticated user or no id claim is <see langword="null"/>: the generated code then throws rather
/// than record an anonymous change. An id claim that is not a <see cref="Guid"/> is a configuration error and throws.
/// </remarks>
public sealed class ClaimsActorAccessor : IActorAccessor
{
    /// <summary>The JWT subject claim, read first when no claim type is configured.</summary>
    public const string SubjectClaimType = "sub";

    private readonly IHttpContextAccessor _httpContextAccessor;
    private readonly string? _claimType;

    /// <summary>Creates the accessor.</summary>
    /// <param name="httpContextAccessor">The current request.</param>
    /// <param name="options">Names the claim.</param>
    public ClaimsActorAccessor(IHttpContextAccessor httpContextAccessor, IOptions<ActivityLogApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(httpContextAccessor);
        ArgumentNullException.ThrowIfNull(options);
        _httpContextAccessor = httpContextAccessor;
        _claimType = options.Value.UserIdClaimType;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The user's id claim is not a <see cref="Guid"/>.</exception>
    public Guid? CurrentActorId
    {
        get
        {
            ClaimsPrincipal? user = _httpContextAccessor.HttpContext?.User;
            if (!TryGetUserId(user, _claimType, out Guid? id, out string? error))
            {
                throw new InvalidOperationException(error);
            }

            return id;
        }
    }

    /// <summary>Reads the user id claim.</summary>
    /// <returns><see langword="false"/> when the claim is present but is not a usable id; <paramref name="error"/> says why.</returns>
    internal static bool TryGetUserId(ClaimsPrincipal? user, string? claimType, out Guid? id, out string? error)
    {
        id = null;
        error = null;
        if (user?.Identity is not { IsAuthenticated: true })
        {
            return true;
        }

        Claim? claim = claimType is null
            ? user.FindFirst(SubjectClaimType) ?? user.FindFirst(ClaimTypes.NameIdentifier)
            : user.FindFirst(claimType);
        if (claim is null)
        {
            return true;
        }

        if (!Guid.TryParse(claim.Value, out Guid value) || value == Guid.Empty)
        {
            error = $"The signed-in user's '{claim.Type}' claim must be a non-empty Guid to identify the actor; it is not. " +
                    $"Set {nameof(ActivityLogApiOptions)}.{nameof(ActivityLogApiOptions.UserIdClaimType)} to the claim that holds the user's Guid.";
            return false;
        }

        id = value;
        return true;
    }
}
