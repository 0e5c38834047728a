namespace AuditGen;

/// <summary>
/// The port for the current actor, the last source of a record's actor when a use case has none of its own.
/// AuditGen.AspNetCore implements it from the signed-in user's claims.
/// </summary>
public interface IActorAccessor
{
    /// <summary>The current actor, or <see langword="null"/> when there is none; the generated code then throws rather than record <see cref="Guid.Empty"/>.</summary>
    Guid? CurrentActorId { get; }
}
