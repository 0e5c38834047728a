namespace AuditGen.Integrity;

/// <summary>How <see cref="ActivityCheckpointer"/> signs and writes checkpoints.</summary>
public sealed class ActivityCheckpointOptions
{
    /// <summary>Where checkpoints go (required): outside the database.</summary>
    public IActivityCheckpointSink? Sink { get; set; }

    /// <summary>The current signing key (required), valid now; rotate by configuring the next one.</summary>
    public ActivityCheckpointKey? Key { get; set; }

    /// <summary>A checkpoint at least every this many new records. 1,000 unless set.</summary>
    public int EveryRecords { get; set; } = 1_000;

    /// <summary>A checkpoint at least this often while new records arrive. 30 seconds unless set.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the checkpointer looks for new records. 1 second unless set.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Above this age of the newest checkpoint, with records waiting, the health check reports unhealthy. 5 minutes unless set.</summary>
    public TimeSpan MaxHealthyCheckpointAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// At start-up the checkpointer logs a warning when <see cref="Key"/>'s window ends within this span, so the next key
    /// is configured before checkpoints stop. 30 days unless set; <see cref="TimeSpan.Zero"/> turns the warning off.
    /// </summary>
    public TimeSpan KeyExpiryWarning { get; set; } = TimeSpan.FromDays(30);

    internal void Validate()
    {
        if (Sink is null)
        {
            throw new ArgumentException("Sink is required: where checkpoints go, outside the database (FileActivityCheckpointSink.Beside(databaseFile)).", nameof(Sink));
        }

        if (Key is not { CanSign: true })
        {
            throw new ArgumentException("Key is required and must hold a private key: the key that signs checkpoints (ActivityCheckpointKey.LoadOrCreate, or your secret store).", nameof(Key));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(EveryRecords, 1, nameof(EveryRecords));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Interval, TimeSpan.Zero, nameof(Interval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxHealthyCheckpointAge, TimeSpan.Zero, nameof(MaxHealthyCheckpointAge));
        ArgumentOutOfRangeException.ThrowIfLessThan(KeyExpiryWarning, TimeSpan.Zero, nameof(KeyExpiryWarning));
    }
}
