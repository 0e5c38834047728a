namespace AuditGen;

/// <summary>
/// Erases a data subject's personal data (GDPR article 17) without removing records: their key is deleted and an erasure
/// record appended in one transaction, so every value sealed under it reads as erased while the log still verifies.
/// Registered by <c>AddActivityLog</c> when the store keeps subject keys; the actor is the signed-in user
/// (<see cref="IActorAccessor"/>).
/// </summary>
public interface IActivitySubjectErasure
{
    /// <summary>Deletes the subject's key and appends the erasure record (who, whose, why, how many values became unreadable).</summary>
    /// <param name="subjectId">The subject.</param>
    /// <param name="reason">Why (1-1000 characters; stored in clear in the erasure record, so name the request, not the person).</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>The stored erasure record.</returns>
    /// <exception cref="ArgumentException">The subject id or the reason is invalid.</exception>
    /// <exception cref="ActivitySubjectHeldException">A legal hold covers the subject.</exception>
    /// <exception cref="InvalidOperationException">There is no current actor.</exception>
    ValueTask<ActivityRecord> EraseSubjectAsync(Guid subjectId, string reason, CancellationToken cancellationToken = default);
}
