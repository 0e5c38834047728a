namespace AuditGen;

/// <summary>The registered <see cref="IActivitySubjectErasure"/>: the signed-in user erases through the log's key custody.</summary>
internal sealed class ActivitySubjectErasure(ActivitySubjectKeys keys, IActorAccessor? actor) : IActivitySubjectErasure
{
    public ValueTask<ActivityRecord> EraseSubjectAsync(Guid subjectId, string reason, CancellationToken cancellationToken = default) =>
        keys.EraseSubjectAsync(subjectId, reason,
            actor?.CurrentActorId ?? throw new InvalidOperationException("Erasing a subject needs the current actor (IActorAccessor) to record who erased; none is signed in."),
            cancellationToken);
}
