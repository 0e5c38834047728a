namespace AuditGen;

/// <summary>
/// How long records are kept: <see cref="KeepMonths"/> for every action, or longer or shorter for the actions in
/// <see cref="KeepMonthsByAction"/>. A record older than its action's period is purged by a retention run unless a
/// legal hold covers it.
/// </summary>
public sealed class ActivityRetentionPolicy
{
    /// <summary>The longest period a policy may name: 100 years.</summary>
    public const int MaxMonths = 1_200;

    /// <summary>Months every record is kept (1 to 1,200); required.</summary>
    public int KeepMonths { get; set; }

    /// <summary>Months the records of an action are kept instead of <see cref="KeepMonths"/>, such as <c>["sign_in"] = 3</c>.</summary>
    public IDictionary<string, int> KeepMonthsByAction { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Checks the policy.</summary>
    /// <exception cref="ArgumentException">A period is out of range or an action name is invalid; the message names it.</exception>
    public void Validate()
    {
        if (KeepMonths is < 1 or > MaxMonths)
        {
            throw new ArgumentException($"KeepMonths must be 1 to {MaxMonths}; was {KeepMonths}.", nameof(KeepMonths));
        }

        foreach ((string action, int months) in KeepMonthsByAction)
        {
            ActivityValidation.Action(action, nameof(KeepMonthsByAction), $"KeepMonthsByAction key");
            if (months is < 1 or > MaxMonths)
            {
                throw new ArgumentException($"KeepMonthsByAction[\"{action}\"] must be 1 to {MaxMonths}; was {months}.", nameof(KeepMonthsByAction));
            }
        }
    }

    /// <summary>The purge window of this policy at <paramref name="now"/>: each period counted back from it (UTC calendar months).</summary>
    /// <param name="now">The time of the run.</param>
    /// <param name="throughSequence">Only records up to this sequence may go (the newest one covered by a checkpoint).</param>
    /// <returns>The window.</returns>
    public ActivityPurgeWindow WindowAt(DateTimeOffset now, long throughSequence = long.MaxValue)
    {
        Validate();
        DateTimeOffset utc = now.ToUniversalTime();
        return new ActivityPurgeWindow(
            utc.AddMonths(-KeepMonths),
            KeepMonthsByAction.ToDictionary(p => p.Key, p => utc.AddMonths(-p.Value), StringComparer.Ordinal),
            throughSequence);
    }
}
