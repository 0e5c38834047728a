namespace AuditGen;

/// <summary>
/// A store's side of a unit of work that captures what the unit of work changed, such as the EF Core store's
/// <c>SaveChanges</c> capture: <see cref="ActivityTransaction"/> asks it to attach the changes to each record before
/// the before-append hooks run, so hooks see (and may patch) them. For adapter implementations.
/// </summary>
public interface IActivityChangeCapture
{
    /// <summary>
    /// Returns <paramref name="record"/> with the changes captured since the previous record of this unit of work added to
    /// its <see cref="ActivityRecord.Changes"/> (the record itself when nothing was captured). Changes the record already
    /// carries are kept; the capture is cleared, so each change goes to one record.
    /// </summary>
    /// <param name="record">The record about to be appended.</param>
    /// <returns>The record with the captured changes.</returns>
    ActivityRecord AttachChanges(ActivityRecord record);
}
