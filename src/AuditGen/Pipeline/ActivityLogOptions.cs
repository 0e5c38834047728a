namespace AuditGen;

/// <summary>How the pipeline (<see cref="ActivityLog"/>) completes the record of a logged use case.</summary>
public sealed class ActivityLogOptions
{
    /// <summary>The options when none are configured.</summary>
    internal static ActivityLogOptions Default { get; } = new();

    /// <summary>
    /// How long the record of a completed use case may take to be written (and committed with the change). The caller's
    /// cancellation cannot stop that write; this bound can, and its expiry is an <see cref="ActivityNotRecordedException"/>,
    /// never silence. 30 seconds unless set.
    /// </summary>
    public TimeSpan AppendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What a before-append hook's veto does to the change of a logged use case.
    /// <see cref="VetoedChangePolicy.RollBack"/> (the default) keeps the rule "no change without its record" where the store
    /// shares the change's transaction.
    /// </summary>
    public VetoedChangePolicy VetoedChanges { get; set; } = VetoedChangePolicy.RollBack;

    /// <summary>
    /// Where after-append hooks, their side effects and <see cref="ActivityRecorded"/> run: in the appending call
    /// (<see cref="ActivityDelivery.InProcess"/>), or from the relay that reads the stored log
    /// (<see cref="ActivityDelivery.Durable"/>), so a crash after the commit loses none. Unless set, <c>AddActivityLog</c>
    /// makes it durable over a durable store (SQLite, PostgreSQL, EF Core) and in-process otherwise; a pipeline created
    /// without DI delivers in-process unless set.
    /// </summary>
    public ActivityDelivery Delivery
    {
        get => _delivery;
        set
        {
            _delivery = value;
            DeliveryChosen = true;
        }
    }

    private ActivityDelivery _delivery = ActivityDelivery.InProcess;

    /// <summary>
    /// Who background work is recorded as: a message consumer marked <c>[LogsActivity]</c> (MassTransit, NServiceBus, Rebus)
    /// without an <c>[Actor]</c> source runs where no person acted, so its records name this actor — never the user of some
    /// request. Null (the default) makes such a consumer fail before it changes anything, naming this option.
    /// </summary>
    public Guid? SystemActorId
    {
        get => _systemActorId;
        set => _systemActorId = value == Guid.Empty ? throw new ArgumentException("SystemActorId must not be Guid.Empty: give the system actor its own Guid.", nameof(value)) : value;
    }

    private Guid? _systemActorId;

    /// <summary>Whether the application set <see cref="Delivery"/>; if not, a durable store makes it durable.</summary>
    internal bool DeliveryChosen { get; private set; }

    internal void Validate()
    {
        if (AppendTimeout <= TimeSpan.Zero && AppendTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(AppendTimeout), AppendTimeout,
                "AppendTimeout must be positive (or Timeout.InfiniteTimeSpan).");
        }

        if (!Enum.IsDefined(Delivery))
        {
            throw new ArgumentOutOfRangeException(nameof(Delivery), Delivery, "Delivery must be InProcess or Durable.");
        }

        if (!Enum.IsDefined(VetoedChanges))
        {
            throw new ArgumentOutOfRangeException(nameof(VetoedChanges), VetoedChanges, "VetoedChanges must be RollBack or Commit.");
        }
    }
}
