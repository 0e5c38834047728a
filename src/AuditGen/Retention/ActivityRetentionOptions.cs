namespace AuditGen;

/// <summary>How <see cref="ActivityLogRetention"/> purges: the policy, the batch size, and an optional schedule.</summary>
public sealed class ActivityRetentionOptions
{
    /// <summary>Who scheduled purges are recorded as, unless <see cref="ActorId"/> is set: a fixed id that names AuditGen's retention.</summary>
    public static readonly Guid SystemActorId = new("a0d17000-7e7e-4000-8000-000000000001");

    /// <summary>How long records are kept (<see cref="ActivityRetentionPolicy.KeepMonths"/> is required).</summary>
    public ActivityRetentionPolicy Policy { get; } = new();

    /// <summary>Run a purge at start and then this often, as a hosted service; null (the default) runs none — call <see cref="ActivityLogRetention.PurgeAsync"/>.</summary>
    public TimeSpan? RunEvery { get; set; }

    /// <summary>Who scheduled purges are recorded as; <see cref="SystemActorId"/> unless set.</summary>
    public Guid ActorId { get; set; } = SystemActorId;

    /// <summary>The most records one purge removes row by row, in one transaction with its record (a run makes as many purges as it needs). 100,000 unless set.</summary>
    public int MaxRecordsPerPurge { get; set; } = 100_000;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">The policy, the schedule, the actor or the batch size is invalid; the message names it.</exception>
    public void Validate()
    {
        Policy.Validate();
        if (RunEvery is { } every && every <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RunEvery must be positive; was {every}.", nameof(RunEvery));
        }

        ActivityValidation.RequiredId(ActorId, nameof(ActorId), "ActorId");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRecordsPerPurge, 1, nameof(MaxRecordsPerPurge));
    }
}
