namespace AuditGen;

/// <summary>What a before-append hook decided.</summary>
public sealed class BeforeAppendDecision
{
    private BeforeAppendDecision(BeforeAppendDecisionKind kind, string? reason, ActivityRecord? record)
    {
        Kind = kind;
        Reason = reason;
        Record = record;
    }

    /// <summary>Let the record through unchanged.</summary>
    public static BeforeAppendDecision Continue { get; } = new(BeforeAppendDecisionKind.Continue, null, null);

    /// <summary>What was decided.</summary>
    public BeforeAppendDecisionKind Kind { get; }

    /// <summary>Why the record was vetoed; set for <see cref="BeforeAppendDecisionKind.Veto"/>.</summary>
    public string? Reason { get; }

    /// <summary>The patched record; set for <see cref="BeforeAppendDecisionKind.Patch"/>.</summary>
    public ActivityRecord? Record { get; }

    /// <summary>Append nothing; the append returns <see cref="AppendResult.Vetoed"/> with this reason.</summary>
    /// <param name="reason">Why, for logs and callers.</param>
    /// <returns>The decision.</returns>
    public static BeforeAppendDecision Veto(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(BeforeAppendDecisionKind.Veto, reason, null);
    }

    /// <summary>Replace the record (usually <c>record with { ... }</c>); the next hook gets the patched one.</summary>
    /// <param name="record">The patched record; its <see cref="ActivityRecord.RecordId"/> must not change.</param>
    /// <returns>The decision.</returns>
    public static BeforeAppendDecision Patch(ActivityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(BeforeAppendDecisionKind.Patch, null, record);
    }
}
