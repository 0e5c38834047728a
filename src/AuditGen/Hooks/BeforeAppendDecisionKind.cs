namespace AuditGen;

/// <summary>The kinds of <see cref="BeforeAppendDecision"/>.</summary>
public enum BeforeAppendDecisionKind
{
    /// <summary>Let the record through unchanged.</summary>
    Continue,

    /// <summary>Append nothing.</summary>
    Veto,

    /// <summary>Replace the record.</summary>
    Patch,
}
