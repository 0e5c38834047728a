namespace AuditGen;

/// <summary>
/// A before-append hook vetoed the record of a logged use case, and the change was rolled back with it
/// (<see cref="VetoedChangePolicy.RollBack"/> on a store that shares the change's transaction).
/// </summary>
public sealed class ActivityVetoedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="action">The vetoed action.</param>
    /// <param name="vetoedBy">The vetoing hook's type name.</param>
    /// <param name="reason">The hook's reason.</param>
    public ActivityVetoedException(string action, string vetoedBy, string reason)
        : base($"Before-append hook {vetoedBy} vetoed the '{action}' record: {reason} The change was rolled back with it (VetoedChangePolicy.RollBack).")
    {
        Action = action;
        VetoedBy = vetoedBy;
        Reason = reason;
    }

    /// <summary>The vetoed action.</summary>
    public string Action { get; }

    /// <summary>The vetoing hook's type name.</summary>
    public string VetoedBy { get; }

    /// <summary>The hook's reason.</summary>
    public string Reason { get; }
}
