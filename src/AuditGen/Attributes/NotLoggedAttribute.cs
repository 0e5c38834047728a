namespace AuditGen;

/// <summary>
/// An explicit, reasoned opt-out: this mutating method (or every method of this class) is deliberately not logged.
/// Satisfies the coverage analyzer.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NotLoggedAttribute : Attribute
{
    /// <summary>Opts out, saying why.</summary>
    /// <param name="reason">Why the mutation needs no activity record, for reviewers.</param>
    public NotLoggedAttribute(string reason) => Reason = reason;

    /// <summary>Why the mutation needs no activity record.</summary>
    public string Reason { get; }
}
