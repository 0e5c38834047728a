using System.Security.Claims;

namespace AuditGen.AspNetCore;

/// <summary>Options of the <c>/v1/audit</c> read API and of the claims-based <see cref="IActorAccessor"/>.</summary>
public sealed class ActivityLogApiOptions
{
    /// <summary>The default name of the policy that reads everything: <c>"audit:read"</c>.</summary>
    public const string DefaultReadPolicy = "audit:read";

    /// <summary>The default scope that satisfies the default read policy: <c>"audit:read"</c>.</summary>
    public const string DefaultReadScope = "audit:read";

    /// <summary>
    /// The authorization policy that allows actor audits, action queries, other owners' feeds and every record of an
    /// entity's history. <c>"audit:read"</c> unless set. When the application defines no policy of this name,
    /// <c>AddActivityLogApi</c> defines one that requires <see cref="ReadScope"/> in the user's <c>scope</c> or
    /// <c>scp</c> claim (space-separated, as OAuth 2.0 access tokens carry it).
    /// </summary>
    public string ReadPolicy { get; set; } = DefaultReadPolicy;

    /// <summary>The scope the default read policy requires; <c>"audit:read"</c> unless set.</summary>
    public string ReadScope { get; set; } = DefaultReadScope;

    /// <summary>The default name of the policy that purges and places or releases legal holds: <c>"audit:retention"</c>.</summary>
    public const string DefaultRetentionPolicy = "audit:retention";

    /// <summary>
    /// The authorization policy that runs a retention purge and places or releases legal holds. <c>"audit:retention"</c>
    /// unless set; when the application defines no policy of this name, one that requires the scope of the same name
    /// (<c>audit:retention</c>) is defined. Reading the holds needs <see cref="ReadPolicy"/>.
    /// </summary>
    public string RetentionPolicy { get; set; } = DefaultRetentionPolicy;

    /// <summary>The default name of the policy that may erase a data subject's personal data, and of the scope it requires.</summary>
    public const string DefaultErasePolicy = "audit:erase";

    /// <summary>
    /// The policy of <c>POST /subjects/{subjectId}/erasure</c>. When the application defines no policy of this name, one is added
    /// that requires the scope of the same name (<c>audit:erase</c> by default) in <c>scope</c>/<c>scp</c>.
    /// </summary>
    public string ErasePolicy { get; set; } = DefaultErasePolicy;

    /// <summary>
    /// The claim that holds the signed-in user's id, a <see cref="Guid"/>: the current actor, and the owner whose feed
    /// the user may read. <see langword="null"/> (the default) reads <c>sub</c>, then <see cref="ClaimTypes.NameIdentifier"/>
    /// (where JWT bearer authentication maps <c>sub</c> unless <c>MapInboundClaims</c> is off).
    /// </summary>
    public string? UserIdClaimType { get; set; }
}
