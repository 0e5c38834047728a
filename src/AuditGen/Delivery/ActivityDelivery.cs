namespace AuditGen;

/// <summary>Where after-append hooks, side effects and <see cref="ActivityRecorded"/> run (<see cref="ActivityLogOptions.Delivery"/>).</summary>
public enum ActivityDelivery
{
    /// <summary>In the appending call, right after the record is stored (or its transaction commits): best effort, lost in a crash.</summary>
    InProcess,

    /// <summary>
    /// From <see cref="ActivityRecordedRelay"/>, which reads the stored log after its checkpoint: at least once, in
    /// sequence order, resumed after a crash.
    /// </summary>
    Durable,
}
