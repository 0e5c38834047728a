namespace AuditGen;

/// <summary>
/// Runs after a record is stored, in registration order, and asks for side effects (a notification, an email)
/// rather than performing them; each request goes to the <see cref="ISideEffectHandler"/> of its kind.
/// A hook that throws is logged and never un-appends the record.
/// </summary>
public interface IAfterAppendHook
{
    /// <summary>Returns the side effects the stored record calls for; an empty list for none.</summary>
    /// <param name="record">The record as stored, with its sequence.</param>
    /// <param name="cancellationToken">The append's cancellation token.</param>
    /// <returns>The requested side effects, dispatched in order.</returns>
    ValueTask<IReadOnlyList<SideEffectRequest>> AfterAppendAsync(ActivityRecord record, CancellationToken cancellationToken);
}
