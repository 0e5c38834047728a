namespace AuditGen;

/// <summary>How <see cref="ActivityRecordedRelay"/> reads the log and delivers what it finds.</summary>
public sealed class ActivityRelayOptions
{
    /// <summary>The relay's name: its checkpoint and lease in the log's database. Relays of one name share the work (one at a time).</summary>
    public string Name { get; set; } = "default";

    /// <summary>Records read per batch; 100 unless set.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long the relay waits when it found nothing to deliver, or another relay holds the lease; 1 s unless set.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a lease lasts without renewal: after a crash, another relay takes over this much later; 30 s unless set.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait after a failed publish, doubled per retry up to <see cref="MaxRetryDelay"/>; 100 ms unless set.</summary>
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between retries; 30 s unless set. The relay never skips an event: it retries until the bus takes it.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The health check (<c>AddActivityLogHealthChecks</c>) fails when more records than this wait; 10 000 unless set.</summary>
    public long MaxHealthyLag { get; set; } = 10_000;

    /// <summary>The health check fails when the oldest undelivered record has waited longer than this; 5 minutes unless set.</summary>
    public TimeSpan MaxHealthyUndeliveredAge { get; set; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name, nameof(Name));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseDuration, TimeSpan.Zero, nameof(LeaseDuration));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinRetryDelay, TimeSpan.Zero, nameof(MinRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, MinRetryDelay, nameof(MaxRetryDelay));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxHealthyLag, nameof(MaxHealthyLag));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxHealthyUndeliveredAge, TimeSpan.Zero, nameof(MaxHealthyUndeliveredAge));
    }
}
