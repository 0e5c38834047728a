namespace AuditGen;

/// <summary>
/// Runs before a record is appended, in registration order: lets it through, vetoes it, or patches it
/// (for example to redact a secret from its metadata).
/// </summary>
public interface IBeforeAppendHook
{
    /// <summary>Decides what happens to <paramref name="record"/>.</summary>
    /// <param name="record">The record as the previous hook left it, stamped with its time.</param>
    /// <param name="cancellationToken">The append's cancellation token.</param>
    /// <returns><see cref="BeforeAppendDecision.Continue"/>, a <see cref="BeforeAppendDecision.Veto"/> or a <see cref="BeforeAppendDecision.Patch"/>.</returns>
    ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken);
}
