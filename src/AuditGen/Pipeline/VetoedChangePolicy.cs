namespace AuditGen;

/// <summary>What a before-append hook's veto does to the change of a logged use case.</summary>
/// <remarks>
/// Either way the veto is logged (a warning naming the hook, the action and the reason) and counted on the
/// <c>auditgen.appends</c> counter with <c>auditgen.outcome = vetoed</c>: a change without its record is never silent.
/// </remarks>
public enum VetoedChangePolicy
{
    /// <summary>
    /// Where the store shares the change's transaction, the change is rolled back with the record and the caller gets an
    /// <see cref="ActivityVetoedException"/>. Where it cannot (in memory, a log in another database), the change was made
    /// before the veto and stands.
    /// </summary>
    RollBack,

    /// <summary>The change is committed without a record: the hook decided that this change is not worth recording.</summary>
    Commit,
}
