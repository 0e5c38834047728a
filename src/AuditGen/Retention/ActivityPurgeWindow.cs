namespace AuditGen;

/// <summary>
/// What a purge may remove: records that occurred before <see cref="Before"/> (or before their action's entry in
/// <see cref="BeforeByAction"/>), with a sequence at most <see cref="ThroughSequence"/>, and no legal hold on them.
/// </summary>
/// <param name="Before">The boundary for actions without their own.</param>
/// <param name="BeforeByAction">The boundary of each action with its own period.</param>
/// <param name="ThroughSequence">The newest sequence a purge may reach (the last one covered by a checkpoint, when the log is tamper-evident).</param>
public sealed record ActivityPurgeWindow(DateTimeOffset Before, IReadOnlyDictionary<string, DateTimeOffset> BeforeByAction, long ThroughSequence)
{
    /// <summary>The latest boundary of any action: nothing at or after it may go.</summary>
    public DateTimeOffset Latest => BeforeByAction.Values.Append(Before).Max();

    /// <summary>The earliest boundary of any action: everything before it may go (held records aside).</summary>
    public DateTimeOffset Earliest => BeforeByAction.Values.Append(Before).Min();
}
