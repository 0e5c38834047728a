namespace AuditGen.Integrity;

/// <summary>How <see cref="ActivityCheckpointer"/> signs and writes checkpoints.</summary>
public sealed class ActivityCheckpointOptions
{
    /// <summary>Where checkpoints go (required): outside the database.</summary>
    public IActivityCheckpointSink? Sink { get; set; }

    /// <summary>The current signing key (required), valid now; rotate by configuring the next one.</summary>
    public ActivityCheckpointKey? Key { get; set; }

    /// <summary>
    /// The log's origin, the first line of every checkpoint note and the name of the log's note key, such as
    /// <c>example.com/orders-audit</c>: non-empty, no spaces, no <c>+</c>. Unless set, derived from the log's name:
    /// <c>auditgen/&lt;database file&gt;</c> for checkpoints beside a database file, else <c>auditgen/log</c>.
    /// </summary>
    public string? Origin { get; set; }

    /// <summary>
    /// Witnesses (C2SP <c>tlog-witness</c>) each new checkpoint is submitted to with its consistency proof; their
    /// cosignatures are stored with the checkpoint. Submission runs beside the appends and never delays them: a witness
    /// that is down is retried with backoff, and its backlog shows in the health check and the metrics.
    /// </summary>
    public ActivityWitnessList Witnesses { get; } = new();

    /// <summary>How long one submission to a witness may take. 10 seconds unless set.</summary>
    public TimeSpan WitnessTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between retries to a witness that fails (the wait doubles from 1 second). 5 minutes unless set.</summary>
    public TimeSpan MaxWitnessBackoff { get; set; } = TimeSpan.FromMinutes(5);

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
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WitnessTimeout, TimeSpan.Zero, nameof(WitnessTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxWitnessBackoff, TimeSpan.Zero, nameof(MaxWitnessBackoff));
        if (Origin is not null && !NoteVerifier.IsValidKeyName(Origin))
        {
            throw new ArgumentException($"Origin '{Origin}' must be non-empty, without spaces, '+' or control characters (such as example.com/orders-audit).", nameof(Origin));
        }
    }

    /// <summary>The origin: <see cref="Origin"/>, else derived from the sink's directory.</summary>
    internal string EffectiveOrigin()
    {
        if (Origin is not null)
        {
            return Origin;
        }

        if (Sink is FileActivityCheckpointSink files)
        {
            string name = Path.GetFileName(files.Directory);
            name = name.EndsWith(".checkpoints", StringComparison.Ordinal) ? name[..^".checkpoints".Length] : name;
            string safe = string.Concat(name.Select(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
            if (safe.Length > 0)
            {
                return "auditgen/" + safe;
            }
        }

        return "auditgen/log";
    }
}
